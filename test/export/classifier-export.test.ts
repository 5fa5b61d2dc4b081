import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { classifierLogits } from '../../src/tasks/classification/classifier-io.js';
import { classificationBatches } from '../../src/data/classification-batches.js';
import { experimentComponents } from '../../src/engine/experiment-components.js';
import type { ClassificationProxyEvaluator } from '../../src/evaluators/classification/classification-evaluator.js';
import { loadModel } from '../../src/export/load-model.js';
import type { NasNetGenotype } from '../../src/spaces/nasnet/genotype.js';
import { RunsFolder } from '../../src/store/runs-folder.js';
import { loadRegistries } from '../../src/wiring/registries.js';
import { tsnas } from '../helpers/cli.js';
import { tinyNasNetSearch } from '../helpers/tiny-nasnet.js';

describe('tsnas export: a trained NASNet classifier, reloaded', () => {
  const runs = mkdtempSync(join(tmpdir(), 'tsnas-export-cls-'));
  tinyNasNetSearch(runs, 'cls');

  it('writes a classifier manifest with the dataset\'s shape and classes; the reloaded network gives identical logits', async () => {
    const out = join(runs, 'model');
    const r = tsnas(['export', 'cls', '--runs-dir', runs, '--out', out, '--json']);
    assert.equal(r.code, 0, r.err);
    const result = JSON.parse(r.out) as { trial: number; fidelity: number; metrics: Record<string, number> };
    for (const f of ['genotype.json', 'model.json', 'metrics.json', 'README.md', 'group1-shard1of1.bin']) assert.ok(existsSync(join(out, f)), f);
    const manifest = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    assert.equal(manifest.format, 'tsnas-model');
    assert.equal(manifest.formatVersion, 1);
    assert.equal(manifest.modelTopology.kind, 'classifier');
    assert.deepEqual(manifest.modelTopology.space, { name: 'nasnet', options: { blocks: 2, ops: 'conv3x3,identity,avg_pool3x3' } });
    assert.deepEqual(manifest.modelTopology.config, { imageShape: [28, 28, 1], classes: 10, cellsPerStage: 1, filters: 4, reductions: 2, stemMultiplier: 2 });
    assert.deepEqual(manifest.userDefinedMetadata.data, { shape: [28, 28, 1], classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] });
    assert.match(readFileSync(join(out, 'README.md'), 'utf8'), /tsnas predict --model .* image\.png --top 3 .*most probable classes/);

    // The export retrains the trial's own run (its seed, the top fidelity): the search's metrics, to the bit.
    const store = new RunsFolder(runs).read('cls');
    const meta = store.meta()!;
    const stored = store.trial(result.trial)!;
    store.close();
    assert.equal(result.fidelity, 10);
    assert.equal(result.metrics.val_acc, stored.metrics!.val_acc);
    assert.equal(result.metrics.loss, stored.metrics!.loss);

    // The trained network's own logits (captured before it is disposed) against the reloaded one's, on
    // MNIST test digits. Bitwise: the weights go through the shards as float32 unchanged, BatchNorm runs
    // on its stored moving statistics in eval mode, and both forwards are the same kernels of one backend.
    const { config, registries, space } = await experimentComponents(meta, loadRegistries);
    const evaluator = (await registries.evaluators.get('classification-proxy').create(config.evaluator.options, space)) as ClassificationProxyEvaluator;
    const probe = classificationBatches(evaluator.data, 'test', 4).next().value!;
    let reference: Float32Array | undefined;
    await evaluator.evaluate({ trial: stored.number, genotype: space.validate(stored.genotype) as NasNetGenotype, key: stored.key, seed: stored.seed }, (net) => {
      reference = classifierLogits(net, probe.images, 4);
    });
    const model = await loadModel(out, { registries: loadRegistries });
    try {
      assert.equal(model.kind, 'classifier');
      const again = model.outputs(probe.images, 4);
      assert.equal(reference?.length, 40);
      assert.deepEqual(again.logits, reference);
      // classify() is the softmax of the same logits, image by image.
      const p = model.classify!(probe.images.subarray(0, 28 * 28));
      assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-5);
      const best = (xs: ArrayLike<number>) => Array.from(xs).indexOf(Math.max(...Array.from(xs)));
      assert.equal(best(p), best(reference!.subarray(0, 10)));
    } finally {
      model.dispose();
    }
  });

  it('genotype.json is what tsnas train --genotype takes (with the space options it was searched under)', () => {
    const out = join(runs, 'model-cli');
    const exported = JSON.parse(tsnas(['export', 'cls', '--runs-dir', runs, '--out', out, '--fidelity', '5', '--json']).out) as { key: string; metrics: { steps: number } };
    assert.equal(exported.metrics.steps, 5);
    const r = tsnas(['train', '--genotype', join(out, 'genotype.json'), '--evaluator-opt', 'steps=2', '--evaluator-opt', 'filters=2', '--evaluator-opt', 'trainImages=16', '--evaluator-opt', 'batchSize=8', '--evaluator-opt', 'valImages=8', '--evaluator-opt', 'testImages=8', '--json']);
    assert.equal(r.code, 0, r.err);
    assert.equal((JSON.parse(r.out) as { key: string }).key, exported.key);
  });
});
