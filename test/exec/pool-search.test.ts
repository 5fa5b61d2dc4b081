import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ExperimentStore } from '../../src/core/store.js';
import type { RunConfig } from '../../src/engine/config.js';
import { runSearch, type RunSearchOptions } from '../../src/wiring/run-search.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { faultRegistries, faultyConfig, pool } from '../helpers/pool.js';
import { sequence, tempDir } from '../helpers/run.js';

async function search(config: RunConfig, store: ExperimentStore = new MemoryStore(), o: Partial<RunSearchOptions> = {}) {
  return runSearch(config, { name: 't', store, registries: await faultRegistries(), ...o });
}

/** Keys and rewards in trial order: what must not depend on where or in which order evaluations ran. */
const keysAndRewards = (r: { trials: readonly { key: string; reward: number | null }[] }) => r.trials.map((t) => `${t.key}|${t.reward}`);

describe('search with the pool executor', () => {
  it('records every fault as a failed trial with its reason and completes the budget with 2 workers', async () => {
    const faults = { 3: 'throw', 6: 'exit', 9: 'oom', 12: 'hang', 15: 'crash', 18: 'nan' } as const;
    const spec = Object.entries(faults).map(([t, f]) => `${t}:${f}`).join(',');
    const file = join(tempDir(), 'faults.sqlite');
    const store = new SqliteStore(file);
    const r = await search(faultyConfig({ faults: spec }, { executor: pool({ workers: 2, trialTimeoutSeconds: 1, memoryLimitMb: 64 }) }), store);
    store.close();
    assert.equal(r.evaluations, 30);
    assert.equal(r.stoppedBy, 'evaluations');

    const stored = new SqliteStore(file, { readonly: true });
    const trials = stored.trials();
    stored.close();
    assert.deepEqual(trials.map((t) => t.number), r.trials.map((_, i) => i), 'every trial is recorded, in order');
    const reasons = {
      3: 'injected failure in trial 3',
      6: 'worker exited with code 1',
      9: 'worker ran out of memory (limit 64 MB)',
      12: 'trial timed out after 1 s',
      15: 'uncaught failure in trial 15',
      18: 'metric score is NaN',
    };
    for (const t of trials) {
      const reason = reasons[t.number as keyof typeof reasons];
      if (reason) assert.deepEqual([t.status, t.error, t.reward], ['failed', reason, null], `trial ${t.number}`);
      else assert.ok(t.status === 'complete' || t.status === 'cached', `trial ${t.number}: ${t.status} ${t.error}`);
    }
  });

  it('gives the results of the inline executor: the same sequence with 1 worker, the same keys and rewards with 2', async () => {
    const options = { faults: '5:throw,7:nan' };
    const evolution = { strategy: { name: 'evolution', options: { population: 8, sample: 3 } }, budget: { evaluations: 25 } };
    const inline1 = await search(faultyConfig(options, evolution));
    const pool1 = await search(faultyConfig(options, { ...evolution, executor: pool({ workers: 1 }) }));
    assert.deepEqual(sequence(pool1), sequence(inline1));
    assert.deepEqual(pool1.trials.map((t) => t.error), inline1.trials.map((t) => t.error));
    assert.equal(inline1.trials.filter((t) => t.status === 'failed').length, 2);

    const inline2 = await search(faultyConfig(options, { concurrency: 2 }));
    const pool2 = await search(faultyConfig(options, { executor: pool({ workers: 2 }) }));
    assert.deepEqual(keysAndRewards(pool2), keysAndRewards(inline2));
  });

  it('cancels running trials on stop with cancelOnStop, keeps them running, and a resume completes the sequence', async () => {
    const reference = await search(faultyConfig({ sleepMs: 100 }, { budget: { evaluations: 12 } }));
    const config = faultyConfig({ sleepMs: 100 }, { budget: { evaluations: 12 }, executor: pool({ workers: 2 }) });
    const file = join(tempDir(), 'cancel.sqlite');
    const store = new SqliteStore(file);
    const controller = new AbortController();
    const partial = await search(config, store, {
      signal: controller.signal,
      cancelOnStop: true,
      // Abort as trial 5 starts: it and the other worker's trial (4, or 6 if 4 had just finished) are in flight.
      onEngine: (engine) => engine.on('start', (t) => t.number === 5 && controller.abort()),
    });
    assert.equal(partial.stoppedBy, 'signal');
    const running = partial.trials.filter((t) => t.status === 'running').map((t) => t.number);
    assert.ok(running.includes(5) && running.length === 2, `running: ${running}`);
    assert.ok(partial.trials.every((t) => t.status === 'complete' || t.status === 'running'), 'cancelled trials are not failed');
    assert.deepEqual(store.checkpoint()?.pending, running, 'a resume evaluates them again');
    store.close();

    // The resume may run elsewhere: the executor is not part of the experiment's identity.
    const again = new SqliteStore(file);
    const resumed = await search(faultyConfig({ sleepMs: 100 }, { budget: { evaluations: 12 } }), again);
    again.close();
    assert.equal(resumed.evaluations, 12);
    assert.deepEqual(keysAndRewards(resumed), keysAndRewards(reference));
    assert.ok(resumed.trials.every((t) => t.status === 'complete'));
  });

  it('lets running trials finish on stop by default', async () => {
    const controller = new AbortController();
    const r = await search(faultyConfig({ sleepMs: 100 }, { budget: { evaluations: 12 }, executor: pool({ workers: 2 }) }), new MemoryStore(), {
      signal: controller.signal,
      onEngine: (engine) => engine.on('start', (t) => t.number === 5 && controller.abort()),
    });
    assert.equal(r.stoppedBy, 'signal');
    assert.ok(r.trials.length >= 6 && r.trials.every((t) => t.status === 'complete'));
  });
});
