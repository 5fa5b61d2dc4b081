import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import type { ExperimentMeta, ExperimentStore } from '../core/store.js';
import type { EngineCheckpoint, ReevaluationRecord, RungRecord, TrialRecord, TrialStatus } from '../core/trial.js';

/** 2: trial status `stopped`, the trial's `resource` and the `rungs` table (multi-fidelity searches). */
const SCHEMA_VERSION = 2;

const TRIAL_COLUMNS = 'number, status, choices, genotype, key, metrics, reward, seed, started_at, finished_at, error, cached_from, info';

const trialsTable = (name: string) => `
CREATE TABLE IF NOT EXISTS ${name} (
  number INTEGER PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed', 'cached', 'stopped')),
  choices TEXT NOT NULL,
  genotype TEXT NOT NULL,
  key TEXT NOT NULL,
  metrics TEXT,
  reward REAL,
  seed INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  error TEXT,
  cached_from INTEGER,
  info TEXT,
  resource REAL
);`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS experiment (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  config TEXT NOT NULL
);
${trialsTable('trials')}
CREATE INDEX IF NOT EXISTS trials_key ON trials (key);
CREATE TABLE IF NOT EXISTS checkpoints (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at INTEGER NOT NULL,
  next_trial INTEGER NOT NULL,
  state TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rungs (
  trial INTEGER NOT NULL,
  resource REAL NOT NULL,
  metrics TEXT,
  reward REAL,
  error TEXT,
  finished_at INTEGER NOT NULL,
  PRIMARY KEY (trial, resource)
);
CREATE TABLE IF NOT EXISTS reevaluations (
  trial INTEGER NOT NULL,
  seed INTEGER NOT NULL,
  metrics TEXT,
  reward REAL,
  error TEXT,
  finished_at INTEGER NOT NULL,
  PRIMARY KEY (trial, seed)
);
`;

/**
 * Version 1 to 2: SQLite cannot change a CHECK constraint in place, so the trials table is copied into
 * one that allows `stopped` and has the `resource` column (the other new table comes with SCHEMA).
 */
const MIGRATE_V1 = `
${trialsTable('trials_v2')}
INSERT INTO trials_v2 (${TRIAL_COLUMNS}) SELECT ${TRIAL_COLUMNS} FROM trials;
DROP TABLE trials;
ALTER TABLE trials_v2 RENAME TO trials;
CREATE INDEX IF NOT EXISTS trials_key ON trials (key);
`;

/** How many checkpoints are kept (older ones are pruned; the newest is the one a resume uses). */
const KEEP_CHECKPOINTS = 3;

interface TrialRow {
  number: number;
  status: TrialStatus;
  choices: string;
  genotype: string;
  key: string;
  metrics: string | null;
  reward: number | null;
  seed: number;
  started_at: number;
  finished_at: number | null;
  error: string | null;
  cached_from: number | null;
  info: string | null;
  /** Absent in version-1 stores opened read-only. */
  resource?: number | null;
}

/** The prepared writes, each one transaction. */
interface Writer {
  readonly trial: (trial: TrialRecord, checkpoint?: EngineCheckpoint) => void;
  readonly rung: (rung: RungRecord, trial: TrialRecord, checkpoint: EngineCheckpoint) => void;
  readonly checkpoint: (checkpoint: EngineCheckpoint) => void;
  readonly reevaluation: (record: ReevaluationRecord) => void;
}

interface RungRow {
  trial: number;
  resource: number;
  metrics: string | null;
  reward: number | null;
  error: string | null;
  finished_at: number;
}

/**
 * One experiment in one SQLite file (WAL journal: readers such as `tsnas show` never block the
 * search). A trial row and the checkpoint taken with it are written in one transaction.
 */
export class SqliteStore implements ExperimentStore {
  private readonly db: Database.Database;
  /** Built on the first write: a version-1 store opened read-only could not prepare them. */
  private writer: Writer | undefined;
  /** False for a version-1 store opened read-only (it has no rungs table). */
  private readonly hasRungs: boolean;
  readonly trialsDir: string;

  constructor(
    readonly location: string,
    options: { readonly?: boolean } = {},
  ) {
    this.trialsDir = location.replace(/\.sqlite$/, '') + '.trials';
    if (!options.readonly) mkdirSync(dirname(location), { recursive: true });
    try {
      this.db = new Database(location, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    } catch (e) {
      throw new StoreError(`cannot open store '${location}': ${(e as Error).message}`, { cause: e });
    }
    if (!options.readonly) {
      let version: number;
      try {
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = NORMAL');
        this.db.exec(SCHEMA);
        version = this.db.pragma('user_version', { simple: true }) as number;
      } catch (e) {
        this.db.close();
        throw new StoreError(`store '${location}' is not a tsnas experiment: ${(e as Error).message}`, { cause: e });
      }
      if (version === 1) this.db.transaction(() => this.db.exec(MIGRATE_V1))();
      if (version === 0 || version === 1) this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      else if (version !== SCHEMA_VERSION) throw new StoreError(`store '${location}' has schema version ${version}; this tsnas reads ${SCHEMA_VERSION}`);
      this.writes();
    } else {
      this.prepare('SELECT number FROM trials LIMIT 0'); // names a file that is no experiment now, not at the first read
    }
    this.hasRungs = this.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rungs'").get() !== undefined;
  }

  private writes(): Writer {
    if (this.writer) return this.writer;
    const upsert = this.prepare(
      `INSERT OR REPLACE INTO trials (${TRIAL_COLUMNS}, resource)
       VALUES (@number, @status, @choices, @genotype, @key, @metrics, @reward, @seed, @started_at, @finished_at, @error, @cached_from, @info, @resource)`,
    );
    const upsertRung = this.prepare(
      'INSERT OR REPLACE INTO rungs (trial, resource, metrics, reward, error, finished_at) VALUES (@trial, @resource, @metrics, @reward, @error, @finished_at)',
    );
    const upsertReevaluation = this.prepare(
      'INSERT OR REPLACE INTO reevaluations (trial, seed, metrics, reward, error, finished_at) VALUES (@trial, @seed, @metrics, @reward, @error, @finished_at)',
    );
    const insertCheckpoint = this.prepare('INSERT INTO checkpoints (created_at, next_trial, state) VALUES (?, ?, ?)');
    const prune = this.prepare('DELETE FROM checkpoints WHERE id <= (SELECT MAX(id) FROM checkpoints) - ?');
    const checkpoint = (ck: EngineCheckpoint) => {
      insertCheckpoint.run(Date.now(), ck.nextTrial, JSON.stringify(ck));
      prune.run(KEEP_CHECKPOINTS);
    };
    this.writer = {
      trial: this.db.transaction((trial: TrialRecord, ck?: EngineCheckpoint) => {
        upsert.run(toRow(trial));
        if (ck) checkpoint(ck);
      }),
      rung: this.db.transaction((rung: RungRecord, trial: TrialRecord, ck: EngineCheckpoint) => {
        upsertRung.run(toRungRow(rung));
        upsert.run(toRow(trial));
        checkpoint(ck);
      }),
      checkpoint: this.db.transaction(checkpoint),
      reevaluation: (r: ReevaluationRecord) => {
        upsertReevaluation.run({ trial: r.trial, seed: r.seed, metrics: r.metrics === null ? null : JSON.stringify(r.metrics), reward: r.reward, error: r.error, finished_at: r.finishedAt });
      },
    };
    return this.writer;
  }

  private prepare(sql: string): Database.Statement {
    try {
      return this.db.prepare(sql);
    } catch (e) {
      throw new StoreError(`store '${this.location}' is not a tsnas experiment: ${(e as Error).message}`, { cause: e });
    }
  }

  meta(): ExperimentMeta | undefined {
    const row = this.db.prepare('SELECT name, created_at, config FROM experiment WHERE id = 1').get() as
      | { name: string; created_at: number; config: string }
      | undefined;
    return row && { name: row.name, createdAt: row.created_at, config: JSON.parse(row.config) as JsonValue };
  }

  init(meta: ExperimentMeta): void {
    this.db.prepare('INSERT INTO experiment (id, name, created_at, config) VALUES (1, ?, ?, ?)').run(meta.name, meta.createdAt, JSON.stringify(meta.config));
  }

  updateConfig(config: JsonValue): void {
    this.db.prepare('UPDATE experiment SET config = ? WHERE id = 1').run(JSON.stringify(config));
  }

  trials(): TrialRecord[] {
    return (this.db.prepare('SELECT * FROM trials ORDER BY number').all() as TrialRow[]).map(fromRow);
  }

  trial(number: number): TrialRecord | undefined {
    const row = this.db.prepare('SELECT * FROM trials WHERE number = ?').get(number) as TrialRow | undefined;
    return row && fromRow(row);
  }

  putTrial(trial: TrialRecord, checkpoint?: EngineCheckpoint): void {
    this.writes().trial(trial, checkpoint);
  }

  saveCheckpoint(checkpoint: EngineCheckpoint): void {
    this.writes().checkpoint(checkpoint);
  }

  putRung(rung: RungRecord, trial: TrialRecord, checkpoint: EngineCheckpoint): void {
    this.writes().rung(rung, trial, checkpoint);
  }

  rungs(trial?: number): RungRecord[] {
    if (!this.hasRungs) return [];
    const rows = (trial === undefined
      ? this.db.prepare('SELECT * FROM rungs ORDER BY trial, resource').all()
      : this.db.prepare('SELECT * FROM rungs WHERE trial = ? ORDER BY resource').all(trial)) as RungRow[];
    return rows.map(fromRungRow);
  }

  putReevaluation(record: ReevaluationRecord): void {
    this.writes().reevaluation(record);
  }

  reevaluations(): ReevaluationRecord[] {
    // A store written before re-evaluations existed, opened read-only, has no such table.
    if (this.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reevaluations'").get() === undefined) return [];
    const rows = this.db.prepare('SELECT * FROM reevaluations ORDER BY trial, seed').all() as (Omit<RungRow, 'resource'> & { seed: number })[];
    return rows.map((r) => ({ trial: r.trial, seed: r.seed, metrics: r.metrics === null ? null : (JSON.parse(r.metrics) as Record<string, number>), reward: r.reward, error: r.error, finishedAt: r.finished_at }));
  }

  checkpoint(): EngineCheckpoint | undefined {
    const row = this.db.prepare('SELECT state FROM checkpoints ORDER BY id DESC LIMIT 1').get() as { state: string } | undefined;
    return row && (JSON.parse(row.state) as EngineCheckpoint);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toRow(t: TrialRecord): TrialRow {
  return {
    number: t.number,
    status: t.status,
    choices: JSON.stringify(t.choices),
    genotype: JSON.stringify(t.genotype),
    key: t.key,
    metrics: t.metrics === null ? null : JSON.stringify(t.metrics),
    reward: t.reward,
    seed: t.seed,
    started_at: t.startedAt,
    finished_at: t.finishedAt,
    error: t.error,
    cached_from: t.cachedFrom,
    info: t.info === null ? null : JSON.stringify(t.info),
    resource: t.resource ?? null,
  };
}

function fromRow(r: TrialRow): TrialRecord {
  return {
    number: r.number,
    status: r.status,
    choices: JSON.parse(r.choices) as number[],
    genotype: JSON.parse(r.genotype) as JsonValue,
    key: r.key,
    metrics: r.metrics === null ? null : (JSON.parse(r.metrics) as Record<string, number>),
    reward: r.reward,
    seed: r.seed,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    error: r.error,
    cachedFrom: r.cached_from,
    info: r.info === null ? null : (JSON.parse(r.info) as JsonValue),
    ...(r.resource !== null && r.resource !== undefined ? { resource: r.resource } : {}),
  };
}

function toRungRow(r: RungRecord): RungRow {
  return { trial: r.trial, resource: r.resource, metrics: r.metrics === null ? null : JSON.stringify(r.metrics), reward: r.reward, error: r.error, finished_at: r.finishedAt };
}

function fromRungRow(r: RungRow): RungRecord {
  return {
    trial: r.trial,
    resource: r.resource,
    metrics: r.metrics === null ? null : (JSON.parse(r.metrics) as Record<string, number>),
    reward: r.reward,
    error: r.error,
    finishedAt: r.finished_at,
  };
}
