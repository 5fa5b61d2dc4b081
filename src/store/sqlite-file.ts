import Database from 'better-sqlite3';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from '../core/errors.js';

const MAGIC = 'SQLite format 3\0';

/** The first 100 bytes of an existing store file, after checking it is a regular, non-empty SQLite file. */
export function sqliteHeader(location: string): Buffer {
  let st;
  try {
    st = statSync(location);
  } catch (e) {
    throw new StoreError(`cannot read store '${location}': ${(e as Error).message}`, { cause: e });
  }
  if (!st.isFile()) throw new StoreError(`store '${location}' is not a regular file`);
  if (st.size === 0) throw new StoreError(`store '${location}' is empty (0 bytes): not a tsnas experiment; remove it to start the experiment afresh`);
  const header = Buffer.alloc(100);
  const fd = openSync(location, 'r');
  try {
    readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1', 0, 16) !== MAGIC) throw new StoreError(`store '${location}' is not a tsnas experiment: not an SQLite database`);
  return header;
}

/** A read-only connection and what to clean up after it. */
export interface ReadOnlyDb {
  readonly db: Database.Database;
  readonly release: () => void;
}

/**
 * Opens a store for reading without writing anything beside it. A store in WAL mode needs its -wal and
 * -shm files: while a writer runs (or after one was killed) they exist and are used as they are; a WAL
 * store without them (closed by an older tsnas) would make SQLite create them, and fail in a read-only
 * folder, so it is read from a copy in rollback mode (with no -wal file, the main file holds everything).
 */
export function openReadOnly(location: string): ReadOnlyDb {
  const header = sqliteHeader(location);
  const wal = header[18] === 2;
  if (!wal || existsSync(`${location}-wal`)) {
    const db = new Database(location, { readonly: true, fileMustExist: true });
    return { db, release: () => db.close() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'tsnas-read-'));
  const copy = join(dir, 'store.sqlite');
  copyFileSync(location, copy);
  chmodSync(copy, 0o600); // the copy keeps a read-only store's mode
  const fd = openSync(copy, 'r+');
  try {
    writeSync(fd, Buffer.from([1, 1]), 0, 2, 18); // file format versions 1: rollback journal
  } finally {
    closeSync(fd);
  }
  const db = new Database(copy, { readonly: true, fileMustExist: true });
  return {
    db,
    release: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
