import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PRESETS } from '../../src/cli/presets.js';
import { runConfigFromFlags } from '../../src/cli/run-config-flags.js';
import { registries } from '../helpers/run.js';

describe('the default search and the presets', () => {
  it('is the nasfpn-demo preset when neither --space, --config nor --preset is given, and flags override it', () => {
    const c = runConfigFromFlags({}, registries());
    assert.equal(c.space.name, 'nasfpn');
    assert.equal(c.evaluator.name, 'detection-proxy');
    assert.deepEqual(c.strategy, { name: 'evolution', options: { population: 12, sample: 4 } });
    assert.deepEqual(c.scheduler, { name: 'asha', options: { eta: 3 } });
    assert.equal(c.executor?.name, 'pool');
    assert.deepEqual(c.budget, { evaluations: 40 });
    assert.deepEqual(c.reevaluate, { top: 3, seeds: 2 });
    const o = runConfigFromFlags({ strategy: 'random', evaluations: '4', workers: '1', evaluatorOpt: ['steps=10'] }, registries());
    assert.deepEqual([o.strategy.name, o.budget.evaluations, o.executor?.options.workers, o.evaluator.options.steps, o.evaluator.options.minSteps], ['random', 4, 1, 10, 100]);
    assert.deepEqual(o.strategy.options, {}, "evolution's preset options do not leak into another strategy");
    const nb = runConfigFromFlags({ space: 'nasbench201' }, registries());
    assert.deepEqual([nb.evaluator.name, nb.strategy.name, nb.budget.evaluations, nb.executor?.name, nb.scheduler, nb.reevaluate], ['nasbench201', 'evolution', 150, 'inline', undefined, undefined]);
  });

  it('takes a named preset, --top-k and --top-k-seeds, and refuses what does not fit', () => {
    const h = runConfigFromFlags({ preset: 'nasfpn-1h' }, registries());
    assert.deepEqual(h, runConfigFromFlags({ config: undefined, preset: 'nasfpn-1h' }, registries()));
    assert.equal(h.evaluator.options.steps, (PRESETS['nasfpn-1h']!.config.evaluator as { options: { steps: number } }).options.steps);
    assert.deepEqual(runConfigFromFlags({ topK: '4' }, registries()).reevaluate, { top: 4, seeds: 2 }, "the preset's seeds stay");
    assert.deepEqual(runConfigFromFlags({ space: 'nasbench201', topK: '4' }, registries()).reevaluate, { top: 4, seeds: 3 });
    assert.equal(runConfigFromFlags({ topK: '0' }, registries()).reevaluate, undefined);
    assert.throws(() => runConfigFromFlags({ preset: 'nope' }, registries()), /unknown preset 'nope'; presets: nasfpn-demo, nasfpn-1h/);
    assert.throws(() => runConfigFromFlags({ preset: 'nasfpn-1h', config: 'x.json' }, registries()), /--config or --preset, not both/);
    assert.throws(() => runConfigFromFlags({ space: 'nasbench201', topKSeeds: '2' }, registries()), /--top-k-seeds: give --top-k too/);
  });
});
