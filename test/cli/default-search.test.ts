import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runConfigFromFlags } from '../../src/cli/run-config-flags.js';
import { registries } from '../helpers/run.js';

describe('the default search', () => {
  it('is the embedded NAS-FPN search when neither --space nor --config is given, and flags override it', () => {
    const c = runConfigFromFlags({}, registries());
    assert.equal(c.space.name, 'nasfpn');
    assert.equal(c.evaluator.name, 'detection-proxy');
    assert.deepEqual(c.strategy, { name: 'evolution', options: { population: 8, sample: 3 } });
    assert.equal(c.executor?.name, 'pool');
    assert.deepEqual(c.budget, { evaluations: 16 });
    const o = runConfigFromFlags({ strategy: 'random', evaluations: '4', workers: '1', evaluatorOpt: ['steps=10'] }, registries());
    assert.deepEqual([o.strategy.name, o.budget.evaluations, o.executor?.options.workers, o.evaluator.options.steps], ['random', 4, 1, 10]);
    assert.deepEqual(o.strategy.options, {}, "evolution's preset options do not leak into another strategy");
    const nb = runConfigFromFlags({ space: 'nasbench201' }, registries());
    assert.deepEqual([nb.evaluator.name, nb.strategy.name, nb.budget.evaluations, nb.executor?.name], ['nasbench201', 'evolution', 150, 'inline']);
  });
});
