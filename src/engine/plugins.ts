import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TsnasError } from '../core/errors.js';
import type { PluginRegister, Registries } from './registry.js';

/**
 * Loads a plugin module (a file path, relative to the working directory, or a package name) and
 * calls its `register(registries)` export (or default export).
 */
export async function loadPlugin(specifier: string, registries: Registries, cwd = process.cwd()): Promise<void> {
  const looksLikePath = specifier.startsWith('.') || isAbsolute(specifier) || /\.(c|m)?js$/.test(specifier);
  let target = specifier;
  if (looksLikePath) {
    const file = resolve(cwd, specifier);
    if (!existsSync(file)) throw new TsnasError(`plugin '${specifier}' not found (looked for ${file})`);
    target = pathToFileURL(file).href;
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(target)) as Record<string, unknown>;
  } catch (e) {
    throw new TsnasError(`cannot load plugin '${specifier}': ${(e as Error).message}`, { cause: e });
  }
  const register = (mod.register ?? mod.default) as PluginRegister | undefined;
  if (typeof register !== 'function') {
    throw new TsnasError(`plugin '${specifier}' exports no register(registries) function (named 'register' or default)`);
  }
  await register(registries);
}
