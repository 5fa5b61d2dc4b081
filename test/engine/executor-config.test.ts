import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runConfigFromFlags } from '../../src/cli/run-config-flags.js';
import { identityOf, parseRunConfig } from '../../src/engine/config.js';
import { writeSyntheticTable } from '../helpers/nb201-fixture.js';
import { registries } from '../helpers/run.js';

const base = { space: 'toy', strategy: 'random', evaluator: 'toy', budget: { evaluations: 10 } };

describe('executor config', () => {
  it('defaults to inline, validates the pool options and names the bad field', () => {
    assert.deepEqual(parseRunConfig(base).executor, { name: 'inline', options: {} });
    assert.deepEqual(parseRunConfig({ ...base, executor: 'pool' }).executor, { name: 'pool', options: {} });
    const pool = parseRunConfig({ ...base, executor: { name: 'pool', options: { workers: '2', trialTimeoutSeconds: 1.5, memoryLimitMb: 64 } } });
    assert.deepEqual(pool.executor, { name: 'pool', options: { workers: 2, trialTimeoutSeconds: 1.5, memoryLimitMb: 64 } });
    const bad: [unknown, RegExp][] = [
      ['threads', /executor\.name: expected one of inline, pool, queue, got "threads"/],
      [{ name: 'inline', options: { workers: 2 } }, /executor\.options\.workers: only the pool executor takes this option/],
      [{ name: 'pool', options: { workers: 1.5 } }, /executor\.options\.workers: expected an integer/],
      [{ name: 'pool', options: { trialTimeoutSeconds: -1 } }, /executor\.options\.trialTimeoutSeconds: must be >= 0/],
      [{ name: 'pool', options: { threads: 2 } }, /executor\.options\.threads: unknown option; known: workers, trialTimeoutSeconds, setupTimeoutSeconds, memoryLimitMb/],
      [{ name: 'pool', workers: 2 }, /executor\.workers: unknown field/],
    ];
    for (const [executor, re] of bad) assert.throws(() => parseRunConfig({ ...base, executor }), (e: Error) => re.test(e.message), JSON.stringify(executor));
  });

  it('leaves the executor out of the identity a resume must match', () => {
    const inline = parseRunConfig(base);
    const pool = parseRunConfig({ ...base, executor: { name: 'pool', options: { workers: 3 } } });
    assert.equal(identityOf(pool), identityOf(inline));
    assert.notEqual(identityOf(parseRunConfig({ ...base, seed: 2 })), identityOf(inline));
  });

  it('builds the executor from the search flags; a pool option alone implies the pool', () => {
    const reg = registries();
    const flags = { space: 'toy', strategy: 'random', evaluator: 'toy' };
    assert.deepEqual(runConfigFromFlags(flags, reg).executor, { name: 'inline', options: {} });
    assert.deepEqual(runConfigFromFlags({ ...flags, workers: '2', trialTimeout: '30', workerMemory: '512' }, reg).executor, {
      name: 'pool',
      options: { workers: 2, trialTimeoutSeconds: 30, memoryLimitMb: 512 },
    });
    assert.deepEqual(runConfigFromFlags({ ...flags, executor: 'pool' }, reg).executor, { name: 'pool', options: {} });
    assert.throws(() => runConfigFromFlags({ ...flags, executor: 'inline', workers: '2' }, reg), /only the pool executor/);
    assert.throws(() => runConfigFromFlags({ ...flags, trialTimeout: 'soon' }, reg), /--trial-timeout: expected a positive number/);
  });

  it('runs `tsnas search --executor pool` end to end', () => {
    const r = spawnSync(
      process.execPath,
      [join(process.cwd(), 'bin', 'tsnas.js'), 'search', '--space', 'nasbench201', '--memory', '--json', '--executor', 'pool', '--workers', '2', '--trial-timeout', '60', '--worker-memory', '512', '--evaluations', '20'],
      { encoding: 'utf8', env: { ...process.env, TSNAS_NB201_DIR: writeSyntheticTable() } },
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { evaluations: number; best: { status: string } };
    assert.equal(out.evaluations, 20);
    assert.equal(out.best.status, 'complete');
  });
});
