import Database from 'better-sqlite3';
import { hostname } from 'node:os';
import { StoreError } from '../core/errors.js';

/** Who holds an experiment: written by the holder, read by a process that is refused. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: number;
  readonly command: string;
}

const HOLDER_TABLE = 'CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER, host TEXT, since INTEGER, command TEXT)';

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

const busy = (e: unknown) => (e as { code?: string }).code === 'SQLITE_BUSY' || (e as { code?: string }).code === 'SQLITE_LOCKED';

/**
 * The one-writer lock of an experiment: a small SQLite file beside its store whose write lock (RESERVED,
 * taken by an open `BEGIN IMMEDIATE`) the writer holds for as long as it runs. It is an OS file lock, so
 * the kernel releases it when the process dies, SIGKILL included: no stale lock to clean up, no
 * heartbeat that a long synchronous training step could miss (why not a lock file with an mtime, as
 * proper-lockfile keeps). Readers never touch it. The holder's pid, host and command are committed
 * before the lock is taken for good, so a refused process can name them.
 */
export class ExperimentLock {
  private constructor(private readonly db: Database.Database) {}

  /** Takes the lock or throws a StoreError naming the process that has it; `experiment` names it in messages. */
  static acquire(path: string, experiment: string): ExperimentLock {
    const me: LockHolder = { pid: process.pid, host: hostname(), since: Date.now(), command: process.argv.slice(1).join(' ').slice(0, 500) };
    // Two processes may interleave between the commit of their holder row and the final BEGIN: the one
    // that holds the lock then finds another's row, lets go and tries again (a few ms later).
    for (let attempt = 0; attempt < 50; attempt++) {
      let db: Database.Database;
      try {
        db = new Database(path, { timeout: 0 });
      } catch (e) {
        throw new StoreError(`cannot open the lock of experiment '${experiment}' (${path}): ${(e as Error).message}`, { cause: e });
      }
      try {
        // Taking the lock never waits; committing the row and reading the holder may (for a reader's instant).
        db.exec('BEGIN IMMEDIATE');
        db.exec(HOLDER_TABLE);
        db.prepare('INSERT OR REPLACE INTO holder (id, pid, host, since, command) VALUES (1, ?, ?, ?, ?)').run(me.pid, me.host, me.since, me.command);
        db.pragma('busy_timeout = 2000');
        db.exec('COMMIT');
        db.pragma('busy_timeout = 0');
        db.exec('BEGIN IMMEDIATE');
        const holder = readHolder(db);
        if (holder?.pid === me.pid && holder.since === me.since && holder.host === me.host) return new ExperimentLock(db);
        db.exec('ROLLBACK');
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        if (!busy(e)) {
          db.close();
          throw new StoreError(`cannot take the lock of experiment '${experiment}' (${path}): ${(e as Error).message}`, { cause: e });
        }
        const holder = readHolder(db);
        db.close();
        if (holder && !(holder.pid === me.pid && holder.since === me.since)) throw refusal(experiment, holder);
      }
      if (db.open) db.close();
      sleep(2 + Math.random() * 10);
    }
    throw refusal(experiment, undefined);
  }

  release(): void {
    if (!this.db.open) return;
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.db.close();
  }
}

function readHolder(db: Database.Database): LockHolder | undefined {
  try {
    db.pragma('busy_timeout = 200');
    return db.prepare('SELECT pid, host, since, command FROM holder WHERE id = 1').get() as LockHolder | undefined;
  } catch {
    return undefined; // no row committed yet, or the holder is committing it
  }
}

function refusal(experiment: string, h: LockHolder | undefined): StoreError {
  const who = h ? `process ${h.pid}${h.host !== hostname() ? ` on ${h.host}` : ''} (since ${new Date(h.since).toISOString()}: ${h.command})` : 'another process';
  return new StoreError(`experiment '${experiment}' is being written by ${who}; one writer at a time: wait for it to end or stop it (tsnas show/list can read it meanwhile)`);
}
