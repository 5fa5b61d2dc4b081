import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, StoreError } from '../core/errors.js';
import type { ExperimentMeta } from '../core/store.js';
import { ExperimentLock } from './experiment-lock.js';
import { SqliteStore } from './sqlite-store.js';

const EXT = '.sqlite';

/**
 * The runs folder: one SQLite file per experiment, named after it, with its lock file (`<name>.lock`).
 * `create` and `resume` give the one writer an experiment may have; `read` opens it for anyone.
 */
export class RunsFolder {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
    if (existsSync(this.dir) && !statSync(this.dir).isDirectory()) throw new StoreError(`runs folder '${this.dir}' is not a folder (--runs-dir)`);
  }

  static checkName(name: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name)) {
      throw new ConfigError('name', `experiment names use letters, digits, '.', '_' and '-', at most 128 (got '${name}')`);
    }
    return name;
  }

  pathOf(name: string): string {
    return join(this.dir, RunsFolder.checkName(name) + EXT);
  }

  exists(name: string): boolean {
    return existsSync(this.pathOf(name));
  }

  /** Opens (creating if needed) an experiment's store for writing, without its lock (tests, tools). */
  open(name: string): SqliteStore {
    return new SqliteStore(this.pathOf(name));
  }

  private lock(name: string): ExperimentLock {
    return ExperimentLock.acquire(join(this.dir, `${RunsFolder.checkName(name)}.lock`), name);
  }

  /**
   * Creates a new experiment holding its lock. The store appears complete or not at all: it is written
   * under a temporary name and renamed, so a kill during creation leaves no half-made store to block the name.
   */
  create(name: string, meta: ExperimentMeta): SqliteStore {
    const path = this.pathOf(name);
    this.ensureDir();
    const lock = this.lock(name);
    try {
      if (existsSync(path)) throw new StoreError(`experiment '${name}' already exists in ${this.dir}: pass --resume to continue it, or another --name`);
      const tmp = `${path}.creating`;
      rmSync(tmp, { force: true }); // a creation killed before its rename (we hold the lock: nobody else is making it)
      const draft = new SqliteStore(tmp);
      draft.init(meta);
      draft.close();
      renameSync(tmp, path);
      return new SqliteStore(path, { lock });
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /**
   * Opens an existing experiment for writing, holding its lock. `check` (e.g. "the config matches") runs
   * on a read-only view before anything is written or locked, and again once the lock is held.
   */
  resume(name: string, check: (store: SqliteStore) => void = () => undefined): SqliteStore {
    const path = this.pathOf(name);
    if (!existsSync(path)) throw new StoreError(`--resume: no experiment '${name}' in ${this.dir}`);
    this.checkReadable(name, check);
    const lock = this.lock(name);
    let store: SqliteStore | undefined;
    try {
      store = new SqliteStore(path, { lock });
      check(store);
      return store;
    } catch (e) {
      if (store) store.close();
      else lock.release();
      throw e;
    }
  }

  /** Runs `check` on a read-only view of the experiment (which must be a tsnas store with its experiment row). */
  checkReadable(name: string, check: (store: SqliteStore) => void): void {
    const reader = this.read(name);
    try {
      if (!reader.meta()) throw new StoreError(`store '${reader.location}' is not a tsnas experiment: it has no experiment row`);
      check(reader);
    } finally {
      reader.close();
    }
  }

  /** Opens an existing experiment read-only (for list/show). */
  read(name: string): SqliteStore {
    if (!this.exists(name)) throw new StoreError(`no experiment '${name}' in ${this.dir} (see 'tsnas list')`);
    return new SqliteStore(this.pathOf(name), { readonly: true });
  }

  names(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith(EXT))
      .map((f) => f.slice(0, -EXT.length))
      .sort();
  }

  private ensureDir(): void {
    try {
      mkdirSync(this.dir, { recursive: true });
    } catch (e) {
      throw new StoreError(`cannot create runs folder '${this.dir}': ${(e as Error).message}`, { cause: e });
    }
  }
}
