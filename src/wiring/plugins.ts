import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeError } from '../core/describe-error.js';
import { TsnasError } from '../core/errors.js';
import type { PluginRegister, Registries } from '../core/registry.js';
import { checkAddedFactories, snapshotEntries } from './plugin-contracts.js';
import { resolvePackageFrom } from './resolve-package.js';

/** A specifier that names a file (rather than a package). */
const looksLikePath = (specifier: string) => specifier.startsWith('.') || isAbsolute(specifier) || /\.(c|m)?[jt]s$/.test(specifier);

/** TypeScript sources, which Node 20 cannot import by itself. */
const isTypeScript = (file: string) => /\.(c|m)?ts$/.test(file) && !file.endsWith('.d.ts');

/**
 * Imports a plugin module; a TypeScript one through tsx's ESM API, which compiles it (and the .ts files
 * it imports) for this import only, without registering a loader for the whole process.
 */
async function importModule(target: string): Promise<Record<string, unknown>> {
  if (!target.startsWith('file:') || !isTypeScript(target)) return (await import(target)) as Record<string, unknown>;
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(target, import.meta.url)) as Record<string, unknown>;
}

/**
 * The specifier as it is stored with an experiment: a file path made absolute (against `cwd`), so that
 * pool workers and a resume from another folder load the same module; a package name as it is.
 */
export function pluginSpecifier(specifier: string, cwd = process.cwd()): string {
  if (typeof specifier !== 'string' || specifier.trim() === '') throw new TsnasError(`plugin specifier must be a non-empty string, got ${JSON.stringify(specifier)}`);
  if (!looksLikePath(specifier)) return specifier;
  const file = resolve(cwd, specifier);
  if (!existsSync(file)) throw new TsnasError(`plugin '${specifier}' not found (looked for ${file})`);
  return file;
}

/**
 * Loads a plugin module (a file path, relative to the working directory, or a package name: looked up
 * from the working directory first, as eslint and babel plugins are, then from tsnas's own) and calls its
 * `register(registries)` export (or default export).
 */
export async function loadPlugin(specifier: string, registries: Registries, cwd = process.cwd()): Promise<void> {
  let target = specifier;
  if (looksLikePath(specifier)) {
    const file = resolve(cwd, specifier);
    if (!existsSync(file)) throw new TsnasError(`plugin '${specifier}' not found (looked for ${file})`);
    if (!statSync(file).isFile()) throw new TsnasError(`plugin '${specifier}' is not a file (${file})`);
    target = pathToFileURL(file).href;
  } else {
    const file = resolvePackageFrom(specifier, cwd);
    if (file !== undefined) target = pathToFileURL(file).href;
  }
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(target);
  } catch (e) {
    throw new TsnasError(`cannot load plugin '${specifier}': ${describeError(e)}`, { cause: e });
  }
  const register = (mod.register ?? mod.default) as PluginRegister | undefined;
  if (typeof register !== 'function') {
    throw new TsnasError(`plugin '${specifier}' exports no register(registries) function (named 'register' or default)`);
  }
  const before = snapshotEntries(registries);
  try {
    await register(registries);
  } catch (e) {
    throw new TsnasError(`plugin '${specifier}': register() failed: ${describeError(e)}`, { cause: e });
  }
  checkAddedFactories(specifier, registries, before);
}
