import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TrialRecord } from '../../src/core/trial.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { tempDir } from '../helpers/run.js';

// The schema tsnas wrote before multi-fidelity scheduling (user_version 1).
const V1 = `
CREATE TABLE experiment (id INTEGER PRIMARY KEY CHECK (id = 1), name TEXT NOT NULL, created_at INTEGER NOT NULL, config TEXT NOT NULL);
CREATE TABLE trials (
  number INTEGER PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed', 'cached')),
  choices TEXT NOT NULL, genotype TEXT NOT NULL, key TEXT NOT NULL, metrics TEXT, reward REAL, seed INTEGER NOT NULL,
  started_at INTEGER NOT NULL, finished_at INTEGER, error TEXT, cached_from INTEGER, info TEXT
);
CREATE INDEX trials_key ON trials (key);
CREATE TABLE checkpoints (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at INTEGER NOT NULL, next_trial INTEGER NOT NULL, state TEXT NOT NULL);
INSERT INTO experiment VALUES (1, 'old', 5, '{"seed":3}');
INSERT INTO trials VALUES (0, 'complete', '[1,2]', '"g"', 'k0', '{"acc":70}', 70, 11, 1000, 2000, NULL, NULL, NULL);
INSERT INTO checkpoints (created_at, next_trial, state) VALUES (1, 1, '{"strategy":null,"nextTrial":1,"pending":[],"elapsedMs":4}');
PRAGMA user_version = 1;
`;

const old: TrialRecord = {
  number: 0, status: 'complete', choices: [1, 2], genotype: 'g', key: 'k0', metrics: { acc: 70 }, reward: 70, seed: 11,
  startedAt: 1000, finishedAt: 2000, error: null, cachedFrom: null, info: null,
};

describe('SQLite store schema versions', () => {
  it('reads a version-1 store read-only, and upgrades it in place when opened for writing', () => {
    const file = join(tempDir(), 'old.sqlite');
    const db = new Database(file);
    db.exec(V1);
    db.close();

    const ro = new SqliteStore(file, { readonly: true });
    assert.deepEqual(ro.trials(), [old]);
    assert.deepEqual(ro.rungs(), []);
    assert.equal(ro.checkpoint()?.nextTrial, 1);
    ro.close();

    const rw = new SqliteStore(file);
    assert.deepEqual(rw.meta(), { name: 'old', createdAt: 5, config: { seed: 3 } });
    assert.deepEqual(rw.trials(), [old]);
    const stopped: TrialRecord = { ...old, number: 1, key: 'k1', status: 'stopped', resource: 3 };
    rw.putRung({ trial: 1, resource: 3, metrics: { acc: 50 }, reward: 50, error: null, finishedAt: 3000 }, stopped, { strategy: null, nextTrial: 2, pending: [], elapsedMs: 9, running: [] });
    rw.close();

    const again = new SqliteStore(file, { readonly: true });
    assert.deepEqual(again.trials(), [old, stopped]);
    assert.deepEqual(again.rungs(1), [{ trial: 1, resource: 3, metrics: { acc: 50 }, reward: 50, error: null, finishedAt: 3000 }]);
    assert.equal(again.checkpoint()?.nextTrial, 2);
    again.close();
    const version = new Database(file, { readonly: true });
    assert.equal(version.pragma('user_version', { simple: true }), 2);
    version.close();
  });

  it('writes a rung, its trial and the checkpoint in one transaction', () => {
    const file = join(tempDir(), 'new.sqlite');
    const s = new SqliteStore(file);
    const db = new Database(file);
    // A trigger makes the checkpoint insert fail after the rung and trial rows went in.
    db.exec("CREATE TRIGGER no_checkpoints BEFORE INSERT ON checkpoints BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    db.close();
    assert.throws(() => s.putRung({ trial: 0, resource: 1, metrics: null, reward: null, error: 'x', finishedAt: 1 }, { ...old, status: 'failed' }, { strategy: null, nextTrial: 1, pending: [], elapsedMs: 0 }), /disk full/);
    assert.deepEqual(s.rungs(), []);
    assert.deepEqual(s.trials(), []);
    s.close();
  });
});
