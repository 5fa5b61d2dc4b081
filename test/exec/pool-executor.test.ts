import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Metrics } from '../../src/core/evaluator.js';
import { PoolExecutor } from '../../src/exec/pool-executor.js';
import { TrialCancelledError } from '../../src/exec/worker-faults.js';
import { faultySetup } from '../helpers/pool.js';

const genotype = [0, 1, 0, 0, 1, 0, 0, 1, 0];
const request = (trial: number, signal?: AbortSignal) => ({ trial, genotype, key: genotype.join(','), seed: trial, ...(signal ? { signal } : {}) });

describe('pool executor', () => {
  const executors: PoolExecutor[] = [];
  const make = (...args: ConstructorParameters<typeof PoolExecutor>) => {
    const e = new PoolExecutor(...args);
    executors.push(e);
    return e;
  };
  after(() => Promise.all(executors.map((e) => e.close())));

  it('evaluates in worker threads, each building its evaluator once and reusing it', async () => {
    const ex = make(faultySetup({ trace: true }), { workers: 2 });
    assert.equal(ex.capacity, 2);
    const results: Metrics[] = [];
    for (let round = 0; round < 4; round++) results.push(...(await Promise.all([ex.run(request(2 * round)), ex.run(request(2 * round + 1))])));
    assert.ok(results.every((m) => m.score === results[0]!.score && m.cost === results[0]!.cost));
    const byThread = new Map<number, number[]>();
    for (const m of results) byThread.set(m.thread!, [...(byThread.get(m.thread!) ?? []), m.calls!]);
    assert.equal(byThread.size, 2, 'both workers used');
    // Each worker's evaluator counted its own calls 1, 2, 3, ...: it was built once.
    for (const calls of byThread.values()) assert.deepEqual(calls, calls.map((_, i) => i + 1));
  });

  it('fails a trial with a clear reason for each fault, and replaces crashed workers', async () => {
    const ex = make(faultySetup({ trace: true, faults: '1:throw,2:exit,3:oom,4:hang,5:crash' }), { workers: 2, trialTimeoutSeconds: 1, memoryLimitMb: 64 });
    const first = await ex.run(request(0));
    const expected: [number, RegExp][] = [
      [1, /^injected failure in trial 1$/],
      [2, /^worker exited with code 1$/],
      [3, /^worker ran out of memory \(limit 64 MB\)$/],
      [4, /^trial timed out after 1 s$/],
      [5, /^uncaught failure in trial 5$/],
    ];
    for (const [trial, message] of expected) await assert.rejects(ex.run(request(trial)), (e: Error) => message.test(e.message));
    assert.equal(ex.threads, 2, 'crashed workers are replaced');
    // Two concurrent trials after the faults both succeed; the worker that ran trial 0 survived only
    // if no fault killed it, and no dead worker is ever used again.
    const later = await Promise.all([ex.run(request(6)), ex.run(request(7))]);
    assert.ok(later.every((m) => m.score === first.score));
    assert.equal(new Set(later.map((m) => m.thread)).size, 2);
  });

  it('fails trials with the reason when a worker cannot build the evaluator', async () => {
    const ex = make({ ...faultySetup(), evaluator: { name: 'nope', options: {} } }, { workers: 1 });
    for (const trial of [0, 1]) await assert.rejects(ex.run(request(trial)), (e: Error) => /^worker setup failed: unknown evaluator 'nope'; known: .*faulty/.test(e.message));
  });

  it('cancels a running trial when the request signal aborts', async () => {
    const ex = make(faultySetup({ sleepMs: 5000 }), { workers: 1 });
    const controller = new AbortController();
    const t0 = Date.now();
    const running = ex.run(request(0, controller.signal));
    setTimeout(() => controller.abort(), 200);
    await assert.rejects(running, (e: unknown) => e instanceof TrialCancelledError && e.message === 'trial 0 cancelled');
    assert.ok(Date.now() - t0 < 2000);
    await assert.rejects(ex.run(request(1, controller.signal)), TrialCancelledError);
  });
});
