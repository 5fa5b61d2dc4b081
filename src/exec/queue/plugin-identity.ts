import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeError } from '../../core/describe-error.js';
import { TsnasError } from '../../core/errors.js';

/**
 * A plugin as driver and workers compare it: a short name for messages and the SHA-256 of its module
 * file. Paths differ between machines; the bytes of the same plugin do not.
 */
export interface PluginIdentity {
  readonly name: string;
  readonly sha256: string;
}

/** The module file a plugin specifier (a path, or a package name) loads. */
function pluginFile(specifier: string, cwd: string): string {
  if (specifier.startsWith('.') || isAbsolute(specifier) || /\.(c|m)?js$/.test(specifier)) return resolve(cwd, specifier);
  try {
    return createRequire(resolve(cwd, 'package.json')).resolve(specifier);
  } catch {
    // A package with only an "import" export condition: resolved as tsnas's own import would find it.
    try {
      return fileURLToPath(import.meta.resolve(specifier));
    } catch (e) {
      throw new TsnasError(`cannot resolve plugin '${specifier}': ${describeError(e)}`, { cause: e });
    }
  }
}

export function pluginIdentity(specifier: string, cwd = process.cwd()): PluginIdentity {
  const file = pluginFile(specifier, cwd);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new TsnasError(`cannot read plugin '${specifier}' (${file}): ${describeError(e)}`, { cause: e });
  }
  return { name: basename(specifier), sha256: createHash('sha256').update(bytes).digest('hex') };
}

const describe = (ps: readonly PluginIdentity[]) => (ps.length === 0 ? 'none' : ps.map((p) => `${p.name} (${p.sha256.slice(0, 12)})`).join(', '));

/**
 * Why a worker with plugins `mine` must not run a job of a driver with `theirs`, or undefined when they
 * are the same files in the same order (registration order decides which of two same-named
 * components wins, so order matters too).
 */
export function pluginMismatch(theirs: readonly PluginIdentity[], mine: readonly PluginIdentity[]): string | undefined {
  const same = theirs.length === mine.length && theirs.every((p, i) => p.sha256 === mine[i]?.sha256);
  if (same) return undefined;
  return `plugins differ: the search has ${describe(theirs)}, this worker ${describe(mine)}; start tsnas worker with the same --plugin files`;
}
