// Ctrl-C on `tsnas search` with a worker pool: no new trials, running ones finish (or are cancelled
// with --cancel-running), everything completed is stored, a clean exit 0, and --resume finishes the budget.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FAULT_PLUGIN } from '../helpers/fault-plugin.js';
import { tempDir } from '../helpers/run.js';

const BIN = join(process.cwd(), 'bin', 'tsnas.js');

/** Runs a search and sends SIGINT once its first trial is reported; resolves with its exit and output. */
function interruptedSearch(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let sent = false;
    const onData = (d: Buffer) => {
      out += d.toString();
      if (!sent && /trial \d+: new best/.test(out)) {
        sent = true;
        child.kill('SIGINT');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out });
    });
  });
}

function show(runs: string, name: string): { status: string }[] {
  const r = spawnSync(process.execPath, [BIN, 'show', name, '--runs-dir', runs, '--json', '--all'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { trials: { status: string }[] }).trials;
}

function searchArgs(runs: string, name: string): string[] {
  return ['search', '--plugin', FAULT_PLUGIN, '--space', 'toy', '--evaluator', 'faulty', '--evaluator-opt', 'sleepMs=400',
    '--strategy', 'random', '--workers', '2', '--evaluations', '8', '--runs-dir', runs, '--name', name];
}

describe('Ctrl-C during a pool search', () => {
  for (const cancel of [false, true]) {
    it(cancel ? 'with --cancel-running: cancels running trials, exits 0, and a resume completes the budget'
      : 'lets running trials finish, stores them, exits 0, and a resume completes the budget', async () => {
      const runs = tempDir();
      const name = cancel ? 'cancelled' : 'drained';
      const args = searchArgs(runs, name);
      const r = await interruptedSearch(cancel ? [...args, '--cancel-running'] : args);
      assert.equal(r.signal, null, r.out);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, cancel ? /stopping: cancelling running trials/ : /stopping: no new trials; waiting for running ones/);
      assert.match(r.out, /stopped by signal/);

      const trials = show(runs, name);
      const done = trials.filter((t) => t.status === 'complete').length;
      assert.ok(done >= 1 && done < 8, `some but not all trials completed: ${done}`);
      // Waiting: nothing is left running. Cancelling: cancelled trials stay 'running' until a resume redoes them.
      if (!cancel) assert.ok(trials.every((t) => t.status === 'complete'), JSON.stringify(trials.map((t) => t.status)));

      const resumed = spawnSync(process.execPath, [BIN, ...args, '--resume'], { encoding: 'utf8' });
      assert.equal(resumed.status, 0, resumed.stderr);
      const after = show(runs, name);
      assert.equal(after.filter((t) => t.status === 'complete').length, 8);
      assert.ok(after.every((t) => t.status === 'complete'));
    });
  }
});
