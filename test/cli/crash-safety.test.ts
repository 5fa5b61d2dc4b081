// SIGKILL at any moment loses no completed trial and leaves a resumable experiment: before the first
// checkpoint (any --checkpoint-every), in the first trial of a pool search, and at 20 random moments.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { countsAsEvaluation, type TrialRecord } from '../../src/core/trial.js';
import { runSearch } from '../../src/wiring/run-search.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { killWhen, storedTrials, toySearch, tsnas } from '../helpers/cli.js';
import { faultRegistries, faultyConfig } from '../helpers/pool.js';
import { tempDir } from '../helpers/run.js';

const EVOLUTION = ['--strategy', 'evolution', '--strategy-opt', 'population=4', '--strategy-opt', 'sample=2', '--seed', '5'];
const outcome = (trials: readonly TrialRecord[]) => trials.map((t) => `${t.key}|${t.status}|${t.reward}`);
const complete = (trials: readonly TrialRecord[]) => trials.filter((t) => t.status === 'complete');

/** The sequence an uninterrupted run of the same search produces (in process: sleeping does not change it). */
async function reference(evaluations: number): Promise<string[]> {
  const config = faultyConfig({}, { strategy: { name: 'evolution', options: { population: 4, sample: 2 } }, seed: 5, budget: { evaluations } });
  const r = await runSearch(config, { name: 'ref', store: new MemoryStore(), registries: await faultRegistries() });
  return outcome(r.trials);
}

function integrity(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

describe('crash safety', () => {
  it('resumes a search killed before its first checkpoint, for every checkpoint period, to the uninterrupted sequence', async () => {
    const expected = await reference(10);
    const cases: [string, string[], (t: TrialRecord[]) => boolean][] = [
      ['killed in its first trial', [], (t) => t.some((x) => x.status === 'running')],
      ['--checkpoint-every 7, killed after 5 trials', ['--checkpoint-every', '7'], (t) => complete(t).length >= 5],
      ['--checkpoint-every 0, killed halfway', ['--checkpoint-every', '0'], (t) => complete(t).length >= 4],
    ];
    const runs = tempDir();
    for (const [label, extra, when] of cases) {
      const name = `k${cases.findIndex((c) => c[0] === label)}`;
      const args = toySearch(runs, name, 150, 10, [...EVOLUTION, ...extra]);
      const file = join(runs, `${name}.sqlite`);
      const killed = await killWhen(args, file, when);
      assert.equal(killed.signal, 'SIGKILL', `${label}: the search ended before the kill (${killed.err})`);
      const before = complete(storedTrials(file) ?? []);
      const resumed = tsnas([...args, '--resume']);
      assert.equal(resumed.code, 0, `${label}: ${resumed.err}`);
      const after = storedTrials(file) ?? [];
      assert.deepEqual(outcome(after), expected, label);
      // Completed trials are kept as they were, not evaluated again.
      for (const t of before) assert.deepEqual(after[t.number], t, `${label}: trial ${t.number}`);
    }
  });

  it('resumes a 2-worker pool search killed within its first 1.5 s', async () => {
    const runs = tempDir();
    const args = toySearch(runs, 'pool', 300, 8, ['--strategy', 'random', '--workers', '2']);
    const file = join(runs, 'pool.sqlite');
    const killed = await killWhen(args, file, (t) => t.some((x) => x.status === 'running'));
    assert.equal(killed.signal, 'SIGKILL');
    const resumed = tsnas([...args, '--resume']);
    assert.equal(resumed.code, 0, resumed.err);
    const after = storedTrials(file) ?? [];
    assert.equal(after.filter(countsAsEvaluation).length, 8);
    assert.ok(after.every((t) => t.status === 'complete' || t.status === 'cached'), JSON.stringify(after.map((t) => t.status)));
  });

  it('survives 20 SIGKILLs of a pool search at random moments, the first in its first trial, and ends with exactly the budget', async () => {
    const budget = 150;
    const runs = tempDir();
    const args = toySearch(runs, 'many', 30, budget, ['--strategy', 'evolution', '--strategy-opt', 'population=10', '--strategy-opt', 'sample=3', '--workers', '2']);
    const file = join(runs, 'many.sqlite');
    const seen = new Map<number, TrialRecord>(); // every trial ever seen complete, as it was then
    const moments: string[] = [];
    for (let kill = 0; kill < 20; kill++) {
      const start = kill === 0 ? [] : ['--resume'];
      const known = storedTrials(file)?.length ?? 0;
      // Even kills: right after the search made progress (a new trial, the first one for kill 0); odd
      // kills: at a random moment from the start (process start-up, lock, store, workers included).
      const delay = Math.round(Math.random() * (kill % 2 === 0 ? 40 : 900));
      const when = kill % 2 === 0 ? (t: TrialRecord[]) => t.length > known : () => true;
      moments.push(`${kill % 2 === 0 ? `after trial ${known}` : 'from start'} +${delay} ms`);
      const r = await killWhen([...args, ...start], file, when, delay);
      assert.equal(r.signal, 'SIGKILL', `kill ${kill} (${moments.join('; ')}): the search ended first: ${r.code} ${r.err}`);
      const trials = storedTrials(file) ?? [];
      for (const t of seen.values()) assert.deepEqual(trials[t.number], t, `kill ${kill}: completed trial ${t.number} changed or lost`);
      for (const t of complete(trials)) seen.set(t.number, t);
      assert.equal(integrity(file), 'ok');
    }
    assert.ok(seen.size > 0 && seen.size < budget, `the kills landed mid-search (${seen.size} complete)`);
    const last = tsnas([...args, '--resume']);
    assert.equal(last.code, 0, last.err);
    const trials = storedTrials(file) ?? [];
    assert.deepEqual(trials.map((t) => t.number), trials.map((_, i) => i), 'trial numbers have no gaps');
    assert.equal(trials.filter(countsAsEvaluation).length, budget, 'exactly the budget of evaluations');
    assert.ok(trials.every((t) => t.status === 'complete' || t.status === 'cached'), 'nothing failed or left running');
    for (const t of seen.values()) assert.deepEqual(trials[t.number], t, `completed trial ${t.number} kept as it was`);
    assert.equal(integrity(file), 'ok');
  });
});
