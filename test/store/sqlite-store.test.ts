import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StoreError } from '../../src/core/errors.js';
import type { TrialRecord } from '../../src/core/trial.js';
import { RunsFolder } from '../../src/store/runs-folder.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { tempDir } from '../helpers/run.js';

const trial = (number: number, over: Partial<TrialRecord> = {}): TrialRecord => ({
  number,
  status: 'complete',
  choices: [1, 2, 3],
  genotype: { edges: ['a', 'b'], nested: { x: 1.5 } },
  key: `k${number}`,
  metrics: { val_acc: 70.25, params: 1e6 },
  reward: 70.25,
  seed: 12345,
  startedAt: 1000,
  finishedAt: 2000,
  error: null,
  cachedFrom: null,
  info: { logp: [-0.5, -1.25] },
  ...over,
});

describe('SQLite store', () => {
  it('keeps trials, config and checkpoints across close and reopen', () => {
    const file = join(tempDir(), 'e.sqlite');
    const a = new SqliteStore(file);
    a.init({ name: 'e', createdAt: 5, config: { seed: 3 } });
    a.putTrial(trial(0, { status: 'running', metrics: null, reward: null, finishedAt: null }));
    a.putTrial(trial(1, { status: 'failed', reward: null, metrics: null, error: 'NaN loss' }), { strategy: { w: [0.1, 0.2] }, nextTrial: 2, pending: [0], elapsedMs: 7 });
    a.putTrial(trial(0));
    a.close();
    const b = new SqliteStore(file);
    assert.deepEqual(b.meta(), { name: 'e', createdAt: 5, config: { seed: 3 } });
    assert.deepEqual(b.trials(), [trial(0), trial(1, { status: 'failed', reward: null, metrics: null, error: 'NaN loss' })]);
    assert.deepEqual(b.checkpoint(), { strategy: { w: [0.1, 0.2] }, nextTrial: 2, pending: [0], elapsedMs: 7 });
    b.close();
  });

  it('keeps only the latest checkpoints', () => {
    const s = new SqliteStore(join(tempDir(), 'e.sqlite'));
    for (let i = 0; i < 10; i++) s.saveCheckpoint({ strategy: i, nextTrial: i, pending: [], elapsedMs: 0 });
    assert.equal(s.checkpoint()?.strategy, 9);
    s.close();
  });

  it('refuses a file that is not a tsnas store', () => {
    const file = join(tempDir(), 'x.sqlite');
    writeFileSync(file, 'not a database at all, just text'.repeat(100));
    assert.throws(() => new SqliteStore(file), StoreError);
  });

  it('lists experiments of a runs folder and checks names', () => {
    const folder = new RunsFolder(tempDir());
    folder.open('b').close();
    folder.open('a').close();
    assert.deepEqual(folder.names(), ['a', 'b']);
    assert.throws(() => folder.open('../escape'), /experiment names use/);
    assert.throws(() => folder.read('missing'), /no experiment 'missing'/);
  });
});
