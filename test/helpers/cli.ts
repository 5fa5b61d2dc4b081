import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TrialRecord } from '../../src/core/trial.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { FAULT_PLUGIN } from './fault-plugin.js';

export const BIN = join(process.cwd(), 'bin', 'tsnas.js');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  readonly err: string;
}

/** Runs `tsnas` to its end. */
export function tsnas(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; uid?: number; gid?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...options.env }, ...(options.cwd ? { cwd: options.cwd } : {}), ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid } : {}) });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

/** The same, without blocking the test process (so several can run at once); `prefix`: a command to run it under (e.g. `ip netns exec NS`). */
export function tsnasAsync(args: readonly string[], options: SpawnOptions = {}, prefix: readonly string[] = []): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const [command, ...rest] = [...prefix, process.execPath, BIN, ...args] as [string, ...string[]];
    const child = spawn(command, rest, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

/** Arguments of a search over the 6-cell toy space with the faulty evaluator (as slow as `sleepMs` per trial). */
export function toySearch(runs: string, name: string, sleepMs: number, evaluations: number, extra: readonly string[] = []): string[] {
  return ['search', '--plugin', FAULT_PLUGIN, '--space', 'toy', '--space-opt', 'cells=6', '--evaluator', 'faulty', '--evaluator-opt', `sleepMs=${sleepMs}`,
    '--evaluations', String(evaluations), '--runs-dir', runs, '--name', name, '--quiet', ...extra];
}

/** The trials of a store, read as `tsnas show` reads them; undefined while the store does not exist yet. */
export function storedTrials(file: string): TrialRecord[] | undefined {
  if (!existsSync(file)) return undefined;
  const store = new SqliteStore(file, { readonly: true });
  try {
    return store.trials();
  } finally {
    store.close();
  }
}

/**
 * Starts `tsnas` and SIGKILLs it once `ready()` holds (polled every 10 ms) and `delayMs` more passed;
 * resolves with how it ended (one that ends by itself first resolves with its exit code).
 */
export function killWhenReady(args: readonly string[], ready: () => boolean, delayMs = 0, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const poll = setInterval(() => {
      if (!ready()) return;
      clearInterval(poll);
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    }, 10);
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(guard);
      resolve({ code, signal, out: '', err });
    });
  });
}

/** killWhenReady, ready once `when` holds for the search's stored trials. */
export function killWhen(args: readonly string[], file: string, when: (trials: TrialRecord[]) => boolean, delayMs = 0): Promise<CliResult> {
  return killWhenReady(args, () => {
    try {
      const trials = storedTrials(file);
      return trials !== undefined && when(trials);
    } catch {
      return false; // the store is being created: look again
    }
  }, delayMs);
}

/** A digest of every file below `dir` (names and contents), to show that a command wrote nothing. */
export function folderHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const st = statSync(full);
      h.update(`${rel}/${name}:${st.isDirectory() ? 'dir' : st.size}\n`);
      if (st.isDirectory()) walk(full, `${rel}/${name}`);
      else if (st.isFile()) h.update(readFileSync(full));
    }
  };
  walk(dir, '');
  return h.digest('hex');
}
