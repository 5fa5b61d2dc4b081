import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { byFidelityThenReward } from '../../src/engine/best-trial.js';
import { reevaluationSeed, topCandidates } from '../../src/engine/reevaluate.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { curveCalls, curveReward } from '../helpers/curve-components.js';
import { curveConfig, runCurve } from '../helpers/multi-fidelity.js';

describe('top-k re-evaluation', () => {
  beforeEach(() => {
    curveCalls.length = 0;
  });

  it('retrains the k best by the best-trial rule at the top fidelity over the same fresh seeds and returns the best mean', async () => {
    const config = curveConfig({ reevaluate: { top: 3, seeds: 4 }, evaluator: { name: 'curve', options: { noise: 0.5 } } });
    const r = await runCurve(config);
    const expected = topCandidates(r.trials, 3);
    assert.deepEqual(r.reevaluated.map((c) => c.trial).sort(), expected.map((t) => t.number).sort());
    // The candidates are the first three by fidelity, then reward.
    const ranked = r.trials.filter((t) => t.status === 'complete' || t.status === 'stopped').sort(byFidelityThenReward);
    assert.deepEqual(expected.map((t) => t.number), ranked.slice(0, 3).map((t) => t.number));
    const plain = curveCalls.filter((c) => c.stateDir === undefined);
    assert.equal(plain.length, 12, 'each of 3 candidates x 4 seeds trained once, from scratch, with no state folder');
    assert.ok(plain.every((c) => c.from === 0 && c.to === 9), 'at the top fidelity');
    const seeds = [0, 1, 2, 3].map((i) => reevaluationSeed(config.seed, i));
    for (const c of r.reevaluated) {
      assert.deepEqual(c.runs.map((run) => run.seed), [...seeds].sort((a, b) => a - b));
      const genotype = r.trials.find((t) => t.number === c.trial)!.genotype as number[];
      // The noise has mean zero over seeds only approximately; the mean is the top-fidelity score plus the seeds' mean jitter.
      const jitter = seeds.reduce((a, s) => a + 0.5 * ((s % 1000) / 1000 - 0.5), 0) / seeds.length;
      assert.ok(Math.abs(c.reward.mean - (curveReward(genotype, 9) + jitter)) < 1e-9);
    }
    // Best mean first; the search returns it.
    for (let i = 1; i < r.reevaluated.length; i++) assert.ok(r.reevaluated[i - 1]!.reward.mean >= r.reevaluated[i]!.reward.mean);
  });

  it('keeps its runs in the store: a resumed search repeats none of them, and show-style reads find them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnas-reeval-'));
    try {
      const config = curveConfig({ reevaluate: { top: 2, seeds: 2 } });
      const store = new SqliteStore(join(dir, 'mf.sqlite'));
      const first = await runCurve(config, store);
      store.close();
      const plainBefore = curveCalls.filter((c) => c.stateDir === undefined).length;
      assert.equal(plainBefore, 4);
      const again = new SqliteStore(join(dir, 'mf.sqlite'));
      const second = await runCurve(config, again);
      assert.equal(curveCalls.filter((c) => c.stateDir === undefined).length, plainBefore, 'no re-evaluation ran twice');
      assert.deepEqual(second.reevaluated.map((c) => [c.trial, c.reward.mean]), first.reevaluated.map((c) => [c.trial, c.reward.mean]));
      assert.equal(again.reevaluations().length, 4);
      again.close();
      const reader = new SqliteStore(join(dir, 'mf.sqlite'), { readonly: true });
      assert.equal(reader.reevaluations().length, 4);
      reader.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a malformed reevaluate config by name', () => {
    assert.throws(() => curveConfig({ reevaluate: { top: 0, seeds: 2 } }), /reevaluate\.top/);
    assert.throws(() => curveConfig({ reevaluate: { top: 2 } }), /give both top and seeds/);
    assert.throws(() => curveConfig({ reevaluate: { top: 2, seeds: 2, k: 1 } }), /reevaluate\.k: unknown field/);
  });
});
