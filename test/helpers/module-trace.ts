import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled tree's root (dist/), from this helper's place in dist/test/helpers/. */
export const DIST = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The URLs of every module that importing `files` (paths under dist/, one or several) loads, in a fresh
 * Node process: ES modules and the packages they import (a CommonJS package's own require()s are not listed).
 */
export function modulesLoadedBy(files: string | readonly string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'tsnas-trace-'));
  const trace = join(dir, 'modules.txt');
  try {
    const hooks = new URL('./module-trace-register.js', import.meta.url).href;
    const imports = (typeof files === 'string' ? [files] : files).map((f) => `await import(${JSON.stringify(new URL(`file://${join(DIST, f)}`).href)});`);
    execFileSync(process.execPath, ['--import', hooks, '--input-type=module', '-e', imports.join('\n')], {
      env: { ...process.env, TSNAS_MODULE_TRACE: trace },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return readFileSync(trace, 'utf8').split('\n').filter((l) => l !== '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether a loaded module's URL is tensor code: a tfjs package or tsnas's own src/tensor/. */
export function isTensorModule(url: string): boolean {
  return url.includes('@tensorflow') || url.includes('/dist/src/tensor/');
}
