import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StoreError } from '../../src/core/errors.js';
import type { ExperimentStore } from '../../src/core/store.js';
import type { EngineCheckpoint, TrialRecord } from '../../src/core/trial.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { run, sequence, tempDir, toyConfig } from '../helpers/run.js';
import { evaluationLog } from '../helpers/toy-components.js';

/** A store that dies (like a killed process) when the `n`-th result is about to be written. */
function crashingAfter(inner: SqliteStore, n: number): ExperimentStore {
  let results = 0;
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'putTrial') {
        return (t: TrialRecord, ck?: EngineCheckpoint) => {
          if (t.status !== 'running' && ++results === n) throw new Error('simulated crash');
          target.putTrial(t, ck);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

describe('resume', () => {
  for (const [label, over] of [
    ['evolution, checkpoint every trial', { strategy: { name: 'evolution', options: { population: 8, sample: 3 } } }],
    ['evolution, checkpoint every 7 trials', { strategy: { name: 'evolution', options: { population: 8, sample: 3 } }, checkpointEvery: 7 }],
    ['random, 3 at once', { strategy: 'random', concurrency: 3 }],
  ] as const) {
    it(`continues a crashed run to the uninterrupted sequence without re-evaluating completed trials (${label})`, async () => {
      const cfg = toyConfig({ ...over, budget: { evaluations: 40 } });
      const reference = await run(cfg);
      const file = join(tempDir(), 'exp.sqlite');

      await assert.rejects(run(cfg, crashingAfter(new SqliteStore(file), 23)), /simulated crash/);
      const before = new SqliteStore(file);
      const completedBefore = before.trials().filter((t) => t.status === 'complete');
      before.close();
      assert.ok(completedBefore.length >= 20);

      evaluationLog.length = 0;
      const store = new SqliteStore(file);
      const resumed = await run(cfg, store);
      store.close();
      assert.deepEqual(sequence(resumed), sequence(reference));
      for (const t of completedBefore) assert.ok(!evaluationLog.includes(t.key) || resumed.trials.some((r) => r.key === t.key && r.number !== t.number && r.status === 'complete'), `completed ${t.key} evaluated again`);
      assert.equal(evaluationLog.length, reference.evaluations - completedBefore.length);
    });
  }

  it('resumes a store with trials but no checkpoint (as an older tsnas left one killed early) by replaying them', async () => {
    const cfg = toyConfig({ strategy: { name: 'evolution', options: { population: 8, sample: 3 } }, budget: { evaluations: 20 } });
    const reference = await run(cfg);
    const file = join(tempDir(), 'exp.sqlite');
    const first = new SqliteStore(file);
    await run(toyConfig({ ...cfg, budget: { evaluations: 6 } }), first);
    first.close();
    const db = new Database(file);
    db.exec("DELETE FROM checkpoints; UPDATE trials SET status = 'running', metrics = NULL, reward = NULL WHERE number = 5");
    db.close();
    const store = new SqliteStore(file);
    const resumed = await run(cfg, store);
    store.close();
    assert.deepEqual(sequence(resumed), sequence(reference));
  });

  it('stops on a signal and resumes to the uninterrupted sequence', async () => {
    const cfg = toyConfig({ evaluator: { name: 'toy', options: { delayMs: 2 } }, budget: { evaluations: 30 } });
    const reference = await run(cfg);
    const file = join(tempDir(), 'exp.sqlite');
    const controller = new AbortController();
    const store = new SqliteStore(file);
    let seen = 0;
    const partial = await (async () => {
      const p = run(cfg, store, controller.signal);
      const timer = setInterval(() => {
        seen = store.trials().length;
        if (seen >= 10) controller.abort();
      }, 1);
      try {
        return await p;
      } finally {
        clearInterval(timer);
      }
    })();
    store.close();
    assert.equal(partial.stoppedBy, 'signal');
    assert.ok(partial.trials.length < 30);
    const again = new SqliteStore(file);
    const resumed = await run(cfg, again);
    again.close();
    assert.deepEqual(sequence(resumed), sequence(reference));
  });

  it('extends the budget of a finished experiment', async () => {
    const file = join(tempDir(), 'exp.sqlite');
    const full = await run(toyConfig({ budget: { evaluations: 40 } }));
    const s1 = new SqliteStore(file);
    await run(toyConfig({ budget: { evaluations: 15 } }), s1);
    s1.close();
    const s2 = new SqliteStore(file);
    const more = await run(toyConfig({ budget: { evaluations: 40 } }), s2);
    s2.close();
    assert.deepEqual(sequence(more), sequence(full));
  });

  it('refuses to resume with another config and leaves the store untouched', async () => {
    const file = join(tempDir(), 'exp.sqlite');
    const s1 = new SqliteStore(file);
    await run(toyConfig({ budget: { evaluations: 10 } }), s1);
    const before = JSON.stringify({ meta: s1.meta(), trials: s1.trials(), ck: s1.checkpoint() });
    s1.close();
    const s2 = new SqliteStore(file);
    await assert.rejects(run(toyConfig({ seed: 9, budget: { evaluations: 20 } }), s2), (e: unknown) => e instanceof StoreError && /another config/.test(e.message));
    await assert.rejects(run(toyConfig({ strategy: 'random', budget: { evaluations: 20 } }), s2), StoreError);
    assert.equal(JSON.stringify({ meta: s2.meta(), trials: s2.trials(), ck: s2.checkpoint() }), before);
    s2.close();
  });
});
