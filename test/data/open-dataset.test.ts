import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClassificationData, DatasetFactory } from '../../src/core/dataset.js';
import { isTsnasError } from '../../src/core/errors.js';
import { Registry } from '../../src/core/registry.js';
import { openDataset, splitDatasetOptions } from '../../src/data/open-dataset.js';

/** A classification set of `classes` classes whose factory counts how often it was made. */
function counted(name: string, classes: number, fail = { times: 0 }): DatasetFactory & { made: number } {
  const f = {
    name, description: 'test', kind: 'classification' as const, options: {}, made: 0,
    create(): ClassificationData {
      f.made++;
      if (fail.times-- > 0) throw new Error('disk not ready');
      return { kind: 'classification', shape: [2, 2, 1], classNames: Array.from({ length: classes }, (_, i) => `c${i}`), size: () => 4, read: () => 0 };
    },
  };
  return f;
}

describe('openDataset', () => {
  it('opens a registered dataset once per name and options, and again after a failed open', async () => {
    const registry = new Registry<DatasetFactory>('dataset');
    const flaky = counted('flaky', 3, { times: 1 });
    registry.add(flaky);
    await assert.rejects(openDataset(registry, 'classification', 'flaky', { size: 1 }), /disk not ready/);
    const a = await openDataset(registry, 'classification', 'flaky', { size: 1 });
    const b = await openDataset(registry, 'classification', 'flaky', { size: 1 });
    assert.equal(a, b, 'the same data for the same options');
    await openDataset(registry, 'classification', 'flaky', { size: 2 });
    assert.equal(flaky.made, 3, 'failed, opened, opened for other options');
  });

  it('refuses a dataset of another kind, too few classes or an unknown name, naming it', async () => {
    const registry = new Registry<DatasetFactory>('dataset');
    registry.add(counted('one-class', 1));
    registry.add({ name: 'boxes', description: 'test', kind: 'detection', options: {}, create: () => { throw new Error('not reached'); } });
    const named = (re: RegExp) => (e: unknown) => isTsnasError(e) && re.test(e.message);
    await assert.rejects(openDataset(registry, 'classification', 'boxes'), named(/evaluator\.dataset: dataset 'boxes' holds detection data, not classification/));
    await assert.rejects(openDataset(registry, 'classification', 'one-class'), named(/dataset 'one-class' has 1 classes: too few for classification/));
    await assert.rejects(openDataset(registry, 'classification', 'nope'), named(/unknown dataset 'nope'; known: boxes, one-class/));
  });

  it('splits data.KEY options from the evaluator\'s own', () => {
    assert.deepEqual(splitDatasetOptions({ steps: 5, 'data.side': 12, dataset: 'shapes', 'data.seed': 1 }), { own: { steps: 5, dataset: 'shapes' }, data: { side: 12, seed: 1 } });
  });
});
