// One writer per experiment: a second search on it is refused naming the first, new runs racing for a
// name end with one experiment, and readers (show, list) work meanwhile and in a read-only folder.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StoreError } from '../../src/core/errors.js';
import { ExperimentLock } from '../../src/store/experiment-lock.js';
import { BIN, storedTrials, toySearch, tsnas, tsnasAsync } from '../helpers/cli.js';
import { tempDir } from '../helpers/run.js';

/** Waits until `check` holds (polled every 10 ms, at most 30 s). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 3000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), 'timed out waiting');
}

describe('one writer per experiment', () => {
  it('refuses a second writer, naming the process that holds the experiment, while show and list still read it', async () => {
    const runs = tempDir();
    const args = toySearch(runs, 'held', 250, 8, ['--strategy', 'random']);
    const file = join(runs, 'held.sqlite');
    const first = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
    const done = new Promise<number | null>((resolve) => first.on('close', resolve));
    await until(() => (storedTrials(file) ?? []).some((t) => t.status === 'running'));

    const second = tsnas([...args, '--resume']);
    assert.equal(second.code, 2, second.err);
    assert.match(second.err, new RegExp(`^tsnas: experiment 'held' is being written by process ${first.pid} \\(since .*search.*\\); one writer at a time`));
    const fresh = tsnas(args);
    assert.equal(fresh.code, 2);
    assert.match(fresh.err, /experiment 'held' already exists/);
    const shown = tsnas(['show', 'held', '--runs-dir', runs, '--json']);
    assert.equal(shown.code, 0, shown.err);
    const listed = tsnas(['list', '--runs-dir', runs, '--json']);
    assert.equal(listed.code, 0, listed.err);
    assert.deepEqual((JSON.parse(listed.out) as { name: string }[]).map((r) => r.name), ['held']);

    assert.equal(await done, 0);
    const trials = storedTrials(file) ?? [];
    assert.equal(trials.length, 8, 'only the first writer wrote: the budget, no more');
    assert.ok(trials.every((t) => t.status === 'complete'));
    const again = tsnas([...args, '--resume']);
    assert.equal(again.code, 0, `the lock went with its holder: ${again.err}`);
  });

  it('lets exactly one of two new runs that race for a name create the experiment', async () => {
    const runs = tempDir();
    for (const name of ['race0', 'race1', 'race2']) {
      const args = toySearch(runs, name, 0, 4, ['--strategy', 'random']);
      const results = await Promise.all([tsnasAsync(args), tsnasAsync(args)]);
      const codes = results.map((r) => r.code).sort();
      assert.deepEqual(codes, [0, 2], `${name}: ${results.map((r) => r.err).join(' | ')}`);
      const loser = results.find((r) => r.code === 2) as { err: string };
      assert.match(loser.err, /already exists|is being written by process/);
      assert.equal(storedTrials(join(runs, `${name}.sqlite`))?.length, 4);
    }
  });

  it('takes the lock in process too, and gives it back on release', () => {
    const path = join(tempDir(), 'x.lock');
    const lock = ExperimentLock.acquire(path, 'x');
    assert.throws(() => ExperimentLock.acquire(path, 'x'), (e: unknown) => e instanceof StoreError && new RegExp(`being written by process ${process.pid}`).test(e.message));
    lock.release();
    ExperimentLock.acquire(path, 'x').release();
  });

  it('reads a finished and a killed store in a read-only folder without creating -wal or -shm files', async () => {
    const parent = tempDir();
    const runs = join(parent, 'runs');
    assert.equal(tsnas(toySearch(runs, 'done', 0, 5, ['--strategy', 'random'])).code, 0);
    // A store whose writer was killed keeps its -wal and -shm files (uncheckpointed trials live there).
    const args = toySearch(runs, 'killed', 100, 50, ['--strategy', 'random']);
    const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
    await until(() => (storedTrials(join(runs, 'killed.sqlite')) ?? []).filter((t) => t.status === 'complete').length >= 2);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    // A WAL store without -wal (what an older tsnas left when it closed): read from a copy.
    const walonly = join(runs, 'walonly.sqlite');
    copyFileSync(join(runs, 'done.sqlite'), walonly);
    const fd = openSync(walonly, 'r+');
    writeSync(fd, Buffer.from([2, 2]), 0, 2, 18);
    closeSync(fd);
    const files = readdirSync(runs).sort();
    assert.ok(files.includes('killed.sqlite-wal') && !files.includes('done.sqlite-wal'), files.join(' '));

    // Read-only for whoever reads: as root, read as nobody (root ignores permissions).
    for (const f of files) chmodSync(join(runs, f), 0o444);
    chmodSync(runs, 0o555);
    chmodSync(parent, 0o755);
    const as = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    for (const name of ['done', 'killed', 'walonly']) {
      const r = tsnas(['show', name, '--runs-dir', runs, '--json'], as);
      assert.equal(r.code, 0, `${name}: ${r.err}`);
      assert.ok((JSON.parse(r.out) as { counts: { complete: number } }).counts.complete >= 2, name);
    }
    const listed = tsnas(['list', '--runs-dir', runs, '--json'], as);
    assert.equal(listed.code, 0, listed.err);
    assert.deepEqual((JSON.parse(listed.out) as { name: string }[]).map((r) => r.name), ['done', 'killed', 'walonly']);
    assert.deepEqual(readdirSync(runs).sort(), files, 'readers created no file');
    chmodSync(runs, 0o755);
  });
});
