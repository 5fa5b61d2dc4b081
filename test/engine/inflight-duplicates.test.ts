// A proposal whose architecture is being evaluated by another trial waits for that trial's result
// instead of evaluating it a second time, also across a crash and a resume.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ExperimentStore } from '../../src/core/store.js';
import type { StrategyFactory } from '../../src/core/strategy.js';
import { countsAsEvaluation, type EngineCheckpoint, type TrialRecord } from '../../src/core/trial.js';
import { runSearch } from '../../src/wiring/run-search.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { curveCalls, curveReward } from '../helpers/curve-components.js';
import { curveConfig, curveRegistries } from '../helpers/multi-fidelity.js';
import { registries, tempDir, toyConfig } from '../helpers/run.js';
import { evaluationLog } from '../helpers/toy-components.js';

const POINT = [0, 1, 0, 0, 1, 0, 0, 1, 0];
const KEY = POINT.join(',');

/** Registries with `repeat`: a strategy that always proposes POINT. */
function withRepeat() {
  const reg = registries();
  const repeat: StrategyFactory = {
    name: 'repeat',
    description: 'always the same point',
    options: {},
    create: () => ({ ask: (n) => Array.from({ length: n }, () => ({ choices: POINT.slice() })), tell() {}, state: () => null, restore() {} }),
  };
  reg.strategies.add(repeat);
  return reg;
}

describe('duplicates in flight', () => {
  it('evaluates no architecture twice with 4 evaluations in flight', async () => {
    evaluationLog.length = 0;
    const config = toyConfig({ strategy: { name: 'evolution', options: { population: 10, sample: 3 } }, concurrency: 4, evaluator: { name: 'toy', options: { delayMs: 4 } }, budget: { evaluations: 300 } });
    const r = await runSearch(config, { name: 'dups', store: new MemoryStore(), registries: registries() });
    assert.equal(r.evaluations, 300);
    assert.equal(evaluationLog.length, 300);
    assert.equal(new Set(evaluationLog).size, 300, 'every evaluation was of a new architecture');
    const byNumber = new Map(r.trials.map((t) => [t.number, t]));
    // The case at issue happened: duplicates proposed while their architecture was still being evaluated.
    const waited = r.trials.filter((t) => t.status === 'cached' && (byNumber.get(t.cachedFrom as number)?.finishedAt as number) > t.startedAt);
    assert.ok(waited.length > 0, 'some duplicates were proposed while their original was running');
    for (const t of waited) assert.equal(t.reward, byNumber.get(t.cachedFrom as number)?.reward);
    assert.equal(r.trials.filter(countsAsEvaluation).length, 300);
  });

  it('fails a waiting duplicate with its original failure, without evaluating it', async () => {
    evaluationLog.length = 0;
    const config = toyConfig({ strategy: 'repeat', concurrency: 2, evaluator: { name: 'toy', options: { failOn: KEY, delayMs: 20 } }, budget: { evaluations: 5, trials: 2 } });
    const r = await runSearch(config, { name: 'fail', store: new MemoryStore(), registries: withRepeat() });
    assert.deepEqual(r.trials.map((t) => [t.status, t.error, t.cachedFrom]), [
      ['failed', 'toy failure', null],
      ['failed', 'same architecture as trial 0, which failed: toy failure', 0],
    ]);
    assert.equal(evaluationLog.length, 1);
    assert.equal(r.evaluations, 1);
  });

  it('keeps a waiting duplicate pending across a crash: the resume answers it from the re-run original', async () => {
    const file = join(tempDir(), 'dup.sqlite');
    const config = toyConfig({ strategy: 'repeat', concurrency: 2, evaluator: { name: 'toy', options: { delayMs: 20 } }, budget: { evaluations: 5, trials: 2 } });
    // The store dies when the first result is written, as a killed process would.
    const inner = new SqliteStore(file);
    const dying = new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'putTrial') {
          return (t: TrialRecord, ck?: EngineCheckpoint) => {
            if (t.status !== 'running') throw new Error('simulated crash');
            target.putTrial(t, ck);
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    }) as ExperimentStore;
    await assert.rejects(runSearch(config, { name: 'dup', store: dying, registries: withRepeat() }), /simulated crash/);
    inner.close();
    const killed = new SqliteStore(file, { readonly: true });
    assert.deepEqual(killed.trials().map((t) => [t.status, t.cachedFrom]), [['running', null], ['running', 0]]);
    killed.close();

    evaluationLog.length = 0;
    const store = new SqliteStore(file);
    const r = await runSearch(config, { name: 'dup', store, registries: withRepeat() });
    store.close();
    assert.deepEqual(r.trials.map((t) => [t.status, t.cachedFrom]), [['complete', null], ['cached', 0]]);
    assert.equal(evaluationLog.length, 1, 'the original evaluated again, the duplicate not at all');
    assert.equal(r.evaluations, 1);
  });

  it('waits for the first rung of the same architecture under a multi-fidelity scheduler too', async () => {
    curveCalls.length = 0;
    const points = '2,9,0;2,9,0;5,5,1;3,3,2;1,8,3;6,2,4';
    const config = curveConfig({ strategy: { name: 'script', options: { points } }, concurrency: 2, evaluator: { name: 'curve', options: { sleepMs: 30 } }, budget: { evaluations: 4 } });
    const r = await runSearch(config, { name: 'mf', store: new MemoryStore(), registries: curveRegistries() });
    // Answered with the original's reward at its first rung, the one that had finished.
    assert.deepEqual([r.trials[1]?.status, r.trials[1]?.cachedFrom, r.trials[1]?.reward], ['cached', 0, curveReward([2, 9, 0], 1)]);
    assert.ok(!curveCalls.some((c) => c.trial === 1), 'the duplicate trained nothing');
    assert.equal(r.evaluations, 4);
  });
});
