import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, StoreError } from '../core/errors.js';
import { SqliteStore } from './sqlite-store.js';

const EXT = '.sqlite';

/** The runs folder: one SQLite file per experiment, named after it. */
export class RunsFolder {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  static checkName(name: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name)) {
      throw new ConfigError('name', `experiment names use letters, digits, '.', '_' and '-' (got '${name}')`);
    }
    return name;
  }

  pathOf(name: string): string {
    return join(this.dir, RunsFolder.checkName(name) + EXT);
  }

  exists(name: string): boolean {
    return existsSync(this.pathOf(name));
  }

  /** Opens (creating if needed) an experiment's store for writing. */
  open(name: string): SqliteStore {
    return new SqliteStore(this.pathOf(name));
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
}
