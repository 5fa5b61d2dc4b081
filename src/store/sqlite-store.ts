import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import type { ExperimentMeta, ExperimentStore } from '../core/store.js';
import type { EngineCheckpoint, TrialRecord, TrialStatus } from '../core/trial.js';

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS experiment (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  config TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS trials (
  number INTEGER PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed', 'cached')),
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
  info TEXT
);
CREATE INDEX IF NOT EXISTS trials_key ON trials (key);
CREATE TABLE IF NOT EXISTS checkpoints (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at INTEGER NOT NULL,
  next_trial INTEGER NOT NULL,
  state TEXT NOT NULL
);
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
}

/**
 * One experiment in one SQLite file (WAL journal: readers such as `tsnas show` never block the
 * search). A trial row and the checkpoint taken with it are written in one transaction.
 */
export class SqliteStore implements ExperimentStore {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement;
  private readonly insertCheckpoint: Database.Statement;
  private readonly prune: Database.Statement;
  private readonly writeTrial: (trial: TrialRecord, checkpoint?: EngineCheckpoint) => void;

  constructor(
    readonly location: string,
    options: { readonly?: boolean } = {},
  ) {
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
      if (version === 0) this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      else if (version !== SCHEMA_VERSION) throw new StoreError(`store '${location}' has schema version ${version}; this tsnas reads ${SCHEMA_VERSION}`);
    }
    this.upsert = this.prepare(
      `INSERT OR REPLACE INTO trials (number, status, choices, genotype, key, metrics, reward, seed, started_at, finished_at, error, cached_from, info)
       VALUES (@number, @status, @choices, @genotype, @key, @metrics, @reward, @seed, @started_at, @finished_at, @error, @cached_from, @info)`,
    );
    this.insertCheckpoint = this.prepare('INSERT INTO checkpoints (created_at, next_trial, state) VALUES (?, ?, ?)');
    this.prune = this.prepare('DELETE FROM checkpoints WHERE id <= (SELECT MAX(id) FROM checkpoints) - ?');
    this.writeTrial = this.db.transaction((trial: TrialRecord, checkpoint?: EngineCheckpoint) => {
      this.upsert.run(toRow(trial));
      if (checkpoint) this.writeCheckpoint(checkpoint);
    });
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
    this.writeTrial(trial, checkpoint);
  }

  saveCheckpoint(checkpoint: EngineCheckpoint): void {
    this.db.transaction(() => this.writeCheckpoint(checkpoint))();
  }

  private writeCheckpoint(checkpoint: EngineCheckpoint): void {
    this.insertCheckpoint.run(Date.now(), checkpoint.nextTrial, JSON.stringify(checkpoint));
    this.prune.run(KEEP_CHECKPOINTS);
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
  };
}
