import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, UnknownComponentError } from '../../src/core/errors.js';
import type { TrialRecord } from '../../src/core/trial.js';
import { runConfigFromFlags } from '../../src/cli/run-config-flags.js';
import { parseRunConfig } from '../../src/engine/config.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { curveCalls, curveReward, scriptLog } from '../helpers/curve-components.js';
import { writeSyntheticTable } from '../helpers/nb201-fixture.js';
import { assertAshaFinished, curveConfig, curveRegistries, runCurve, rungKeys } from '../helpers/multi-fidelity.js';
import { run, sequence, tempDir } from '../helpers/run.js';

// Nine points [start, final, tag]; rewards at 1, 3 and 9 steps are start + (final - start) * r / 9.
const HAND = '2,9,0;5,5,1;3,3,2;1,8,3;6,2,4;4,7,5;0,0,6;7,4,7;2,6,8';
const handConfig = (over: Record<string, unknown> = {}) => curveConfig({ strategy: { name: 'script', options: { points: HAND } }, budget: { evaluations: 9 }, ...over });

describe('multi-fidelity scheduling', () => {
  it('ASHA promotes exactly the trials worked out by hand, and promoted trials continue from their state', async () => {
    curveCalls.length = 0;
    scriptLog.length = 0;
    const store = new MemoryStore();
    const r = await runCurve(handConfig(), store);
    // At 1 step: 2.8, 5, 3, 1.8, 5.6, 4.3, 0, 6.7, 2.4. One slot, so each decision sees every earlier
    // rung: after trials 0-2 the top third of level 1 is trial 1 (-> 3 steps); after 0-4 it is trial 4;
    // after 0-7 (top two: 7, 4) trial 7, which then tops level 3 (6 vs 5 and 4.7) and goes to 9; trial 8
    // spends the budget, and level 1's top three (7, 4, 1) have all been promoted.
    const order = curveCalls.map((c) => `${c.trial}@${c.to}`);
    assert.deepEqual(order, ['0@1', '1@1', '2@1', '1@3', '3@1', '4@1', '4@3', '5@1', '6@1', '7@1', '7@3', '7@9', '8@1']);
    assert.deepEqual(rungKeys(store.rungs()), [...order].sort((a, b) => parseFloat(a) - parseFloat(b) || Number(a.split('@')[1]) - Number(b.split('@')[1])));
    const points = HAND.split(';').map((p) => p.split(',').map(Number));
    for (const rung of store.rungs()) assert.equal(rung.reward, curveReward(points[rung.trial] as number[], rung.resource));

    // Each rung trains only its increment: 9 x 1 + 3 x (3 - 1) + (9 - 3) = 21 steps, not 9 + 9 + 9.
    assert.equal(curveCalls.reduce((s, c) => s + c.to - c.from, 0), 21);
    assert.equal(store.rungs().reduce((s, x) => s + (x.metrics?.trained as number), 0), 21);
    assert.deepEqual(curveCalls.filter((c) => c.from > 0).map((c) => `${c.trial}:${c.from}->${c.to}`), ['1:1->3', '4:1->3', '7:1->3', '7:3->9']);

    const status = (t: TrialRecord) => `${t.status}@${t.resource}`;
    assert.deepEqual(r.trials.map(status), ['stopped@1', 'stopped@3', 'stopped@1', 'stopped@1', 'stopped@3', 'stopped@1', 'stopped@1', 'complete@9', 'stopped@1']);
    assert.equal(r.evaluations, 9);
    assert.equal(r.stoppedBy, 'evaluations');
    // Trial 1 scores 5 at level 3, above trial 7's 4 at level 9: only the top level reached counts.
    assert.equal(r.best?.number, 7);
    assert.equal(r.best?.reward, 4);

    // Told once per trial at its first rung; each promotion's rung comes as an update.
    assert.deepEqual(scriptLog.filter((f) => f.kind === 'tell').map((f) => `${f.trial}@${f.resource}`), order.filter((k) => k.endsWith('@1')));
    assert.deepEqual(scriptLog.filter((f) => f.kind === 'update').map((f) => `${f.trial}@${f.resource}:${f.reward}`), ['1@3:5', '4@3:' + curveReward([6, 2], 3), '7@3:6', '7@9:4']);
    // A memory store keeps nothing: the temporary state folders are gone.
    assert.ok(curveCalls[0]?.stateDir && !existsSync(curveCalls[0].stateDir));
  });

  it('keeps every rung, the trials and their state folders beside a SQLite store', async () => {
    const dir = tempDir();
    const store = new SqliteStore(join(dir, 'mf.sqlite'));
    const r = await runCurve(handConfig(), store);
    const rungs = store.rungs();
    assert.equal(rungs.length, 13);
    assert.deepEqual(store.rungs(7).map((x) => [x.resource, x.reward, x.metrics?.trained]), [[1, curveReward([7, 4], 1), 1], [3, 6, 2], [9, 4, 6]]);
    assert.deepEqual(store.trials(), r.trials);
    assert.equal(store.checkpoint()?.running?.length, 0);
    store.close();
    for (const t of r.trials) {
      const state = JSON.parse(readFileSync(join(dir, 'mf.trials', String(t.number), 'state.json'), 'utf8')) as { steps: number };
      assert.equal(state.steps, t.resource);
    }
  });

  it('synchronous successive halving waits at every rung and promotes the best third of it', async () => {
    curveCalls.length = 0;
    const store = new MemoryStore();
    const r = await runCurve(curveConfig({ scheduler: 'successive-halving', concurrency: 3, evaluator: { name: 'curve', options: { sleepMs: 3 } }, budget: { evaluations: 18 } }), store);
    assert.equal(r.evaluations, 18);
    // Two brackets of 9; nothing at 3 steps starts before all 9 at 1 have finished, and so on up.
    const levels = curveCalls.map((c) => c.to);
    const bracket = [...Array(9).fill(1), 3, 3, 3, 9];
    assert.deepEqual(levels, [...bracket, ...bracket]);
    for (const calls of [curveCalls.slice(0, 13), curveCalls.slice(13)]) {
      const reward = (trial: number, resource: number) => store.rungs(trial).find((x) => x.resource === resource)?.reward as number;
      const best = (trials: number[], resource: number, k: number) => trials.sort((a, b) => reward(b, resource) - reward(a, resource) || a - b).slice(0, k).sort((a, b) => a - b);
      const at1 = calls.slice(0, 9).map((c) => c.trial);
      const at3 = calls.slice(9, 12).map((c) => c.trial);
      assert.deepEqual(at3.slice().sort((a, b) => a - b), best(at1, 1, 3));
      assert.deepEqual([calls[12]?.trial], best(at3, 3, 1));
    }
  });

  it('Hyperband starts trials in every bracket and promotes only within them', async () => {
    const store = new MemoryStore();
    const r = await runCurve(curveConfig({ scheduler: 'hyperband', concurrency: 2, budget: { evaluations: 40 }, seed: 11 }), store);
    const rungs = store.rungs();
    const first = new Map<number, number>();
    for (const x of rungs) if (!first.has(x.trial)) first.set(x.trial, x.resource);
    assert.deepEqual([...new Set(first.values())].sort((a, b) => a - b), [1, 3, 9]);
    assert.equal(first.size, r.evaluations);
    assertAshaFinished(rungs, [1, 3, 9], 3, (t) => first.get(t) as number);
    // A trial of the last bracket is complete after its only rung.
    for (const t of r.trials) if (first.get(t.number) === 9) assert.equal(t.status, 'complete');
    assert.equal(r.best?.resource, 9);
  });

  it('evolution ranks members by the highest fidelity they reached; a failed higher rung fails the trial and removes it', async () => {
    const evolution = { name: 'evolution', options: { population: 50, sample: 3 } };
    const probe = new MemoryStore();
    await runCurve(curveConfig({ strategy: evolution, budget: { evaluations: 20 } }), probe);
    const promoted = probe.rungs().find((x) => x.resource === 3)?.trial as number;
    assert.ok(promoted !== undefined);

    const store = new MemoryStore();
    const r = await runCurve(curveConfig({ strategy: evolution, budget: { evaluations: 20 }, evaluator: { name: 'curve', options: { failAt: `${promoted}:3` } } }), store);
    const failed = r.trials[promoted] as TrialRecord;
    assert.deepEqual([failed.status, failed.resource, failed.reward, failed.error], ['failed', 3, null, 'diverged at 3 steps']);
    assert.deepEqual(store.rungs(promoted).map((x) => [x.resource, x.error]), [[1, null], [3, 'diverged at 3 steps']]);
    const population = (store.checkpoint()?.strategy as { population: { trial: number; reward: number }[] }).population;
    const counted = r.trials.filter((t) => t.status !== 'failed');
    assert.deepEqual(population.map((m) => m.trial), counted.map((t) => t.number));
    for (const m of population) assert.equal(m.reward, r.trials[m.trial]?.reward, `member of trial ${m.trial}`);
    assert.ok(population.some((m) => (r.trials[m.trial]?.resource as number) > 1), 'some member carries a higher-fidelity reward');
  });

  it('answers a duplicate proposal from the cache with the fidelity its original reached', async () => {
    scriptLog.length = 0;
    const r = await runCurve(handConfig({ strategy: { name: 'script', options: { points: '5,5,0;5,5,0;1,2,3' } }, budget: { evaluations: 2 } }));
    const dup = r.trials[1] as TrialRecord;
    assert.deepEqual([dup.status, dup.cachedFrom, dup.reward, dup.resource], ['cached', 0, 5, 1]);
    assert.equal(r.evaluations, 2);
    assert.deepEqual(scriptLog.map((f) => `${f.kind} ${f.trial} ${f.status}@${f.resource}`), ['tell 0 complete@1', 'tell 1 cached@1', 'tell 2 complete@1']);
  });

  it('leaves single-fidelity evaluators and the default fifo as they were, and refuses bad scheduler input by name', async () => {
    const path = writeSyntheticTable();
    const nb = (over: Record<string, unknown> = {}) => parseRunConfig({ space: 'nasbench201', strategy: 'evolution', evaluator: { name: 'nasbench201', options: { path } }, seed: 2, budget: { evaluations: 30 }, ...over });
    assert.deepEqual(nb({ scheduler: 'fifo' }), nb());
    assert.equal('scheduler' in nb({ scheduler: { name: 'fifo', options: {} } }), false);
    const plain = new MemoryStore();
    const a = await run(nb(), plain);
    const b = await run(nb({ scheduler: 'fifo' }));
    assert.deepEqual(sequence(a), sequence(b));
    assert.ok(a.trials.every((t) => t.resource === undefined && (t.status === 'complete' || t.status === 'cached')));
    assert.deepEqual(plain.rungs(), []);
    assert.equal(plain.checkpoint()?.scheduler, undefined);

    await assert.rejects(run(nb({ scheduler: 'asha' })), (e: unknown) => e instanceof ConfigError && /'asha' needs an evaluator with a fidelity .*'nasbench201' has a single fidelity/.test(e.message));
    await assert.rejects(run(nb({ scheduler: 'bogus' })), (e: unknown) => e instanceof UnknownComponentError && /unknown scheduler 'bogus'; known: asha, fifo, hyperband, successive-halving/.test(e.message));
    await assert.rejects(runCurve(curveConfig({ scheduler: { name: 'asha', options: { eta: 1 } } })), /asha\.eta: must be >= 2/);
    await assert.rejects(run(nb({ scheduler: { name: 'fifo', options: { eta: 3 } } })), /fifo\.eta: unknown option/);
    assert.throws(() => curveConfig({ checkpointEvery: 5 }), /checkpointEvery: a multi-fidelity scheduler checkpoints with every rung/);

    const flags = runConfigFromFlags({ space: 'curve', evaluator: 'curve', scheduler: 'asha', schedulerOpt: ['eta=2', 'minResource=3'] }, curveRegistries());
    assert.deepEqual(flags.scheduler, { name: 'asha', options: { eta: 2, minResource: 3 } });
    assert.equal(runConfigFromFlags({ space: 'curve', evaluator: 'curve' }, curveRegistries()).scheduler, undefined);
    assert.throws(() => runConfigFromFlags({ space: 'curve', evaluator: 'curve', schedulerOpt: ['eta=2'] }, curveRegistries()), /--scheduler-opt: give --scheduler too/);

    // An evaluator with a fidelity, without a scheduler: every trial once at its top, from scratch.
    curveCalls.length = 0;
    const fifo = await runCurve(curveConfig({ scheduler: 'fifo', budget: { evaluations: 4 } }));
    assert.deepEqual(curveCalls.map((c) => [c.from, c.to, c.stateDir]), Array(4).fill([0, 9, undefined]));
    assert.ok(fifo.trials.every((t) => t.resource === undefined && t.status === 'complete'));
  });
});
