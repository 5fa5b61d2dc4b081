// The pool's limits: a worker setup that hangs is timed out and stops the search; a pool whose workers
// cannot start fails its tasks instead of leaving them waiting; timeouts, memory and worker counts are bounded.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ExecutorError } from '../../src/core/errors.js';
import { parseRunConfig } from '../../src/engine/config.js';
import { PoolExecutor } from '../../src/exec/pool-executor.js';
import { storedTrials, toySearch, tsnas } from '../helpers/cli.js';
import { faultySetup } from '../helpers/pool.js';
import { tempDir } from '../helpers/run.js';

const request = (trial: number) => ({ trial, genotype: [0, 1, 0], key: '0,1,0', seed: trial });

describe('pool limits', () => {
  const executors: PoolExecutor[] = [];
  after(() => Promise.all(executors.map((e) => e.close())));

  it("stops the search when a worker's setup hangs past --setup-timeout, leaving the trial to a resume", () => {
    const runs = tempDir();
    const t0 = Date.now();
    const r = tsnas(toySearch(runs, 'hang', 0, 4, ['--strategy', 'random', '--evaluator-opt', 'setupHang=true', '--workers', '1', '--setup-timeout', '1']));
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /^tsnas: a worker's setup \(building the evaluator, for trial 0\) took more than 1 s; the search stops/);
    assert.equal(r.err.trim().split('\n').filter((l) => !l.includes('Warning')).length, 1, r.err);
    assert.ok(Date.now() - t0 < 20_000);
    assert.deepEqual(storedTrials(join(runs, 'hang.sqlite'))?.map((t) => t.status), ['running'], 'not failed: the architecture is not at fault');
  });

  it('fails tasks with the reason once no worker can start, instead of waiting forever', async () => {
    // 1 MB is refused by the config; the executor itself must still not hang on it.
    const ex = new PoolExecutor(faultySetup(), { workers: 1, memoryLimitMb: 1 });
    executors.push(ex);
    const t0 = Date.now();
    await assert.rejects(ex.run(request(0)), /out of memory|no pool worker can start/);
    await assert.rejects(ex.run(request(1)), (e: unknown) => e instanceof ExecutorError && /^no pool worker can start \(.*\); the search stops/.test(e.message));
    assert.ok(Date.now() - t0 < 10_000);
  });

  it('bounds the timeouts, the worker memory and the number of workers', () => {
    const base = { space: 'toy', strategy: 'random', evaluator: 'toy', budget: { evaluations: 3 } };
    const pool = (options: Record<string, number>) => parseRunConfig({ ...base, executor: { name: 'pool', options } });
    assert.equal(pool({ trialTimeoutSeconds: 2_147_483 }).executor?.options.trialTimeoutSeconds, 2_147_483);
    assert.throws(() => pool({ trialTimeoutSeconds: 2_147_484 }), /trialTimeoutSeconds: must be <= 2147483/);
    assert.throws(() => pool({ setupTimeoutSeconds: 1e9 }), /setupTimeoutSeconds: must be <= 2147483/);
    assert.throws(() => pool({ memoryLimitMb: 1 }), /memoryLimitMb: 1 MB is too little for a worker to start; give at least 32/);
    assert.equal(pool({ memoryLimitMb: 32 }).executor?.options.memoryLimitMb, 32);
    assert.throws(() => pool({ workers: 1000 }), /workers: 1000 workers on \d+ cores; at most \d+ \(4 per core\)/);
  });
});
