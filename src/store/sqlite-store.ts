import Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError, TsnasError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import type { ExperimentMeta, ExperimentStore } from '../core/store.js';
import type { EngineCheckpoint, ReevaluationRecord, RungRecord, TrialRecord } from '../core/trial.js';
import type { ExperimentLock } from './experiment-lock.js';
import { configFromRow, fromCheckpointRow, fromReevaluationRow, fromRungRow, fromTrialRow, toRungRow, toTrialRow, type ReevaluationRow, type RungRow, type TrialRow } from './rows.js';
import { CORE_TABLES, MIGRATE_V1, SCHEMA, SCHEMA_VERSION, TRIAL_COLUMNS } from './schema.js';
import { openReadOnly, sqliteHeader, type ReadOnlyDb } from './sqlite-file.js';

/** How many checkpoints are kept (older ones are pruned; the newest is the one a resume uses). */
const KEEP_CHECKPOINTS = 3;

/** The prepared writes, each one transaction (which also writes a config update waiting for it). */
interface Writer {
  readonly trial: (trial: TrialRecord, checkpoint?: EngineCheckpoint) => void;
  readonly rung: (rung: RungRecord, trial: TrialRecord, checkpoint: EngineCheckpoint) => void;
  readonly checkpoint: (checkpoint: EngineCheckpoint) => void;
  readonly reevaluation: (record: ReevaluationRecord) => void;
}

export interface SqliteStoreOptions {
  readonly readonly?: boolean;
  /** The experiment's writer lock, released when the store closes. */
  readonly lock?: ExperimentLock;
}

/**
 * One experiment in one SQLite file. While a writer has it open it is in WAL mode (readers such as
 * `tsnas show` never block the search); a writer that closes switches it back to a rollback journal, so
 * a finished store is one self-contained file that readers open without creating -wal/-shm files. A
 * trial row and the checkpoint taken with it are written in one transaction. Every SQLite failure
 * (a damaged file, a full disk) and every damaged row is a StoreError naming the store.
 */
export class SqliteStore implements ExperimentStore {
  private readonly db: Database.Database;
  private readonly releaseReader: (() => void) | undefined;
  /** Built on the first write: a version-1 store opened read-only could not prepare them. */
  private writer: Writer | undefined;
  /** False for a version-1 store opened read-only (it has no rungs table). */
  private readonly hasRungs: boolean;
  private readonly hasReevaluations: boolean;
  /** A config update, written with the next write (so a resume refused before writing leaves the old one). */
  private pendingConfig: string | undefined;
  private readonly lock: ExperimentLock | undefined;
  readonly trialsDir: string;

  constructor(
    readonly location: string,
    options: SqliteStoreOptions = {},
  ) {
    this.trialsDir = location.replace(/\.sqlite$/, '') + '.trials';
    this.lock = options.lock;
    let reader: ReadOnlyDb | undefined;
    try {
      if (options.readonly) {
        reader = openReadOnly(location);
        this.db = reader.db;
        this.releaseReader = reader.release;
        checkTables(this.db, location);
        const version = guard(location, 'reading its version', () => this.db.pragma('user_version', { simple: true }) as number);
        if (version > SCHEMA_VERSION) throw new StoreError(`store '${location}' has schema version ${version}; this tsnas reads ${SCHEMA_VERSION}`);
      } else {
        this.db = openWritable(location);
        this.releaseReader = undefined;
        this.writes();
      }
      const tables = tablesOf(this.db, location);
      this.hasRungs = tables.includes('rungs');
      this.hasReevaluations = tables.includes('reevaluations');
    } catch (e) {
      reader?.release(); // a writable connection that fails closes itself
      this.lock?.release();
      throw e;
    }
  }

  private guard<T>(what: string, op: () => T): T {
    return guard(this.location, what, op);
  }

  private writes(): Writer {
    if (this.writer) return this.writer;
    const prepare = (sql: string) => this.guard('preparing its writes', () => this.db.prepare(sql));
    const upsert = prepare(
      `INSERT OR REPLACE INTO trials (${TRIAL_COLUMNS}, resource)
       VALUES (@number, @status, @choices, @genotype, @key, @metrics, @reward, @seed, @started_at, @finished_at, @error, @cached_from, @info, @resource)`,
    );
    const upsertRung = prepare('INSERT OR REPLACE INTO rungs (trial, resource, metrics, reward, error, finished_at) VALUES (@trial, @resource, @metrics, @reward, @error, @finished_at)');
    const upsertReevaluation = prepare('INSERT OR REPLACE INTO reevaluations (trial, seed, metrics, reward, error, finished_at) VALUES (@trial, @seed, @metrics, @reward, @error, @finished_at)');
    const insertCheckpoint = prepare('INSERT INTO checkpoints (created_at, next_trial, state) VALUES (?, ?, ?)');
    const prune = prepare('DELETE FROM checkpoints WHERE id <= (SELECT MAX(id) FROM checkpoints) - ?');
    const updateConfig = prepare('UPDATE experiment SET config = ? WHERE id = 1');
    const checkpoint = (ck: EngineCheckpoint) => {
      insertCheckpoint.run(Date.now(), ck.nextTrial, JSON.stringify(ck));
      prune.run(KEEP_CHECKPOINTS);
    };
    // Each write also carries a pending config update; it is dropped once its transaction committed.
    const tx = <A extends unknown[]>(what: string, body: (...args: A) => void) => {
      const t = this.db.transaction((...args: A) => {
        if (this.pendingConfig !== undefined) updateConfig.run(this.pendingConfig);
        body(...args);
      });
      return (...args: A) => {
        this.guard(what, () => t(...args));
        this.pendingConfig = undefined;
      };
    };
    this.writer = {
      trial: tx('writing a trial', (trial: TrialRecord, ck?: EngineCheckpoint) => {
        upsert.run(toTrialRow(trial));
        if (ck) checkpoint(ck);
      }),
      rung: tx('writing a rung', (rung: RungRecord, trial: TrialRecord, ck: EngineCheckpoint) => {
        upsertRung.run(toRungRow(rung));
        upsert.run(toTrialRow(trial));
        checkpoint(ck);
      }),
      checkpoint: tx('writing a checkpoint', checkpoint),
      reevaluation: tx('writing a re-evaluation', (r: ReevaluationRecord) => {
        upsertReevaluation.run({ trial: r.trial, seed: r.seed, metrics: r.metrics === null ? null : JSON.stringify(r.metrics), reward: r.reward, error: r.error, finished_at: r.finishedAt });
      }),
    };
    return this.writer;
  }

  private all<T>(what: string, sql: string, ...params: unknown[]): T[] {
    return this.guard(`reading ${what}`, () => this.db.prepare(sql).all(...params) as T[]);
  }

  meta(): ExperimentMeta | undefined {
    const [row] = this.all<{ name: unknown; created_at: unknown; config: unknown }>('the experiment row', 'SELECT name, created_at, config FROM experiment WHERE id = 1');
    if (!row) return undefined;
    if (typeof row.name !== 'string' || typeof row.created_at !== 'number') throw new StoreError(`store '${this.location}' is damaged: experiment row, column name or created_at has the wrong type`);
    return { name: row.name, createdAt: row.created_at, config: configFromRow(this.location, row.config) };
  }

  init(meta: ExperimentMeta): void {
    this.guard('writing the experiment row', () => this.db.prepare('INSERT INTO experiment (id, name, created_at, config) VALUES (1, ?, ?, ?)').run(meta.name, meta.createdAt, JSON.stringify(meta.config)));
  }

  /** The new config is written with the next trial, rung, checkpoint or re-evaluation, in its transaction. */
  updateConfig(config: JsonValue): void {
    this.pendingConfig = JSON.stringify(config);
  }

  trials(): TrialRecord[] {
    return this.all<TrialRow>('the trials', 'SELECT * FROM trials ORDER BY number').map((r) => fromTrialRow(this.location, r));
  }

  trial(number: number): TrialRecord | undefined {
    const [row] = this.all<TrialRow>(`trial ${number}`, 'SELECT * FROM trials WHERE number = ?', number);
    return row && fromTrialRow(this.location, row);
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
    const rows = trial === undefined ? this.all<RungRow>('the rungs', 'SELECT * FROM rungs ORDER BY trial, resource') : this.all<RungRow>(`the rungs of trial ${trial}`, 'SELECT * FROM rungs WHERE trial = ? ORDER BY resource', trial);
    return rows.map((r) => fromRungRow(this.location, r));
  }

  putReevaluation(record: ReevaluationRecord): void {
    this.writes().reevaluation(record);
  }

  reevaluations(): ReevaluationRecord[] {
    // A store written before re-evaluations existed, opened read-only, has no such table.
    if (!this.hasReevaluations) return [];
    return this.all<ReevaluationRow>('the re-evaluations', 'SELECT * FROM reevaluations ORDER BY trial, seed').map((r) => fromReevaluationRow(this.location, r));
  }

  checkpoint(): EngineCheckpoint | undefined {
    const [row] = this.all<{ id: number; state: unknown }>('the checkpoint', 'SELECT id, state FROM checkpoints ORDER BY id DESC LIMIT 1');
    return row && fromCheckpointRow(this.location, row.id, row.state);
  }

  close(): void {
    if (this.db.open) {
      if (this.releaseReader) {
        this.releaseReader();
      } else {
        // Back to a rollback journal: folds the WAL in and removes -wal/-shm. A reader still connected
        // makes it busy; the store then stays in WAL mode, which readers handle too.
        try {
          this.db.pragma('busy_timeout = 500');
          this.db.pragma('journal_mode = DELETE');
        } catch {
          // left in WAL mode
        }
        this.db.close();
      }
    }
    this.lock?.release();
  }
}

/** Runs one database operation, turning SQLite's errors (SQLITE_CORRUPT, SQLITE_FULL, ...) into a StoreError naming the store. */
function guard<T>(location: string, what: string, op: () => T): T {
  try {
    return op();
  } catch (e) {
    if (e instanceof TsnasError) throw e;
    if (e instanceof Database.SqliteError) throw new StoreError(`store '${location}' failed ${what}: ${e.message} (${e.code})`, { cause: e });
    throw e;
  }
}

function tablesOf(db: Database.Database, location: string): string[] {
  return guard(location, 'reading the schema', () => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
}

/** Refuses a database that is not a tsnas experiment (a foreign SQLite file, or one without its tables). */
function checkTables(db: Database.Database, location: string): void {
  const tables = tablesOf(db, location);
  const missing = CORE_TABLES.filter((t) => !tables.includes(t));
  if (missing.length > 0) {
    const has = tables.length ? ` (its tables: ${tables.slice(0, 8).join(', ')})` : '';
    throw new StoreError(`store '${location}' is not a tsnas experiment: it has no ${missing.join(', ')} table${missing.length > 1 ? 's' : ''}${has}`);
  }
}

/** Opens (creating if needed) a store for writing and brings its schema up to date; a file that exists must already be an experiment. */
function openWritable(location: string): Database.Database {
  mkdirSync(dirname(location), { recursive: true });
  const fresh = !existsSync(location) || (statSync(location).isFile() && statSync(location).size === 0);
  if (!fresh) sqliteHeader(location);
  let db: Database.Database;
  try {
    db = new Database(location);
  } catch (e) {
    throw new StoreError(`cannot open store '${location}': ${(e as Error).message}`, { cause: e });
  }
  try {
    if (!fresh) checkTables(db, location);
    const version = guard(location, 'reading its version', () => db.pragma('user_version', { simple: true }) as number);
    if (version > SCHEMA_VERSION) throw new StoreError(`store '${location}' has schema version ${version}; this tsnas reads ${SCHEMA_VERSION}`);
    guard(location, 'setting up its schema', () => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.transaction(() => {
        db.exec(SCHEMA);
        if (version === 1) db.exec(MIGRATE_V1);
        if (version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })();
    });
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
