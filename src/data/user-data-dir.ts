import { homedir } from 'node:os';
import { join } from 'node:path';

/** Environment variable naming the per-user data folder (default: $XDG_DATA_HOME/tsnas, else ~/.local/share/tsnas). */
export const DATA_DIR_ENV = 'TSNAS_DATA_DIR';

/**
 * Where `tsnas data add` installs data sets and evaluators look for them, so that a search runs from
 * any folder: one folder per kind of data (e.g. `nasbench201/`).
 */
export function userDataDir(kind: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env[DATA_DIR_ENV] || (env.XDG_DATA_HOME ? join(env.XDG_DATA_HOME, 'tsnas') : join(homedir(), '.local', 'share', 'tsnas'));
  return join(base, kind);
}
