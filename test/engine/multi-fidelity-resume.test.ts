// A multi-fidelity search killed with SIGKILL and resumed, and one through the worker pool.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { RungRecord } from '../../src/core/trial.js';
import { runSearch } from '../../src/wiring/run-search.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { CURVE_HOLD, curveReward } from '../helpers/curve-components.js';
import { CURVE_PLUGIN } from '../helpers/curve-plugin.js';
import { assertAshaFinished, curveConfig, curveRegistries } from '../helpers/multi-fidelity.js';
import { killWhenReady } from '../helpers/cli.js';
import { tempDir } from '../helpers/run.js';

const BIN = join(process.cwd(), 'bin', 'tsnas.js');

/** What identifies a rung across runs (not when it finished, nor how much its call trained). */
const rungOutcome = (r: RungRecord) => `${r.trial}@${r.resource}:${r.reward}:${r.metrics?.steps}`;

/** The calls the curve evaluator logged in a trial's state folder. */
function calls(trialsDir: string, trial: number): { from: number; to: number }[] {
  const file = join(trialsDir, String(trial), 'calls.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { from: number; to: number });
}

/** Starts a CLI search that hangs at `hold` and SIGKILLs it there; resolves with how it ended. */
async function killedSearch(args: string[], trialsDir: string, hold: { trial: number; resource: number }): Promise<NodeJS.Signals | null> {
  const r = await killWhenReady(args, () => calls(trialsDir, hold.trial).some((c) => c.to === hold.resource), 0, { [CURVE_HOLD]: `${hold.trial}:${hold.resource}` });
  if (r.signal === null) throw new Error(`search exited ${r.code} before reaching trial ${hold.trial} at ${hold.resource}: ${r.err}`);
  return r.signal;
}

describe('multi-fidelity resume and pool', () => {
  it('a SIGKILLed ASHA search resumes losing no finished rung, re-running only the one in flight, to the uninterrupted rung table', async () => {
    // The uninterrupted run, in process: one evaluation at a time, so its rungs come in a fixed order.
    const referenceStore = new MemoryStore();
    const order: RungRecord[] = [];
    const reference = await runSearch(curveConfig({ seed: 4, budget: { evaluations: 12 } }), {
      name: 'reference',
      store: referenceStore,
      registries: curveRegistries(),
      onEngine: (engine) => engine.on('rung', (r) => void order.push(r)),
    });
    // Kill it in a promotion, once a few rungs are stored: the rung must continue from the lower one's state.
    const k = order.findIndex((r, i) => i >= 4 && r.resource > 1);
    const hold = order[k] as RungRecord;
    const runs = tempDir();
    const args = ['search', '--plugin', CURVE_PLUGIN, '--space', 'curve', '--evaluator', 'curve', '--strategy', 'random',
      '--scheduler', 'asha', '--scheduler-opt', 'eta=3', '--evaluations', '12', '--seed', '4', '--runs-dir', runs, '--name', 'killed', '--quiet'];
    const file = join(runs, 'killed.sqlite');
    const trialsDir = join(runs, 'killed.trials');
    assert.equal(await killedSearch(args, trialsDir, hold), 'SIGKILL');

    const atKill = new SqliteStore(file, { readonly: true });
    const before = atKill.rungs();
    const inFlight = atKill.checkpoint()?.running;
    atKill.close();
    assert.equal(before.length, k);
    assert.deepEqual(inFlight, [{ trial: hold.trial, resource: hold.resource }]);

    const resumed = spawnSync(process.execPath, [BIN, ...args, '--resume'], { encoding: 'utf8' });
    assert.equal(resumed.status, 0, resumed.stderr);
    const store = new SqliteStore(file, { readonly: true });
    const after = store.rungs();
    const trials = store.trials();
    store.close();

    // Every rung finished before the kill is kept as it was (not evaluated again: same finish time),
    // and the resumed search ends with the uninterrupted one's rungs and trials.
    for (const r of before) assert.deepEqual(after.find((x) => x.trial === r.trial && x.resource === r.resource), r);
    assert.deepEqual(after.map(rungOutcome), referenceStore.rungs().map(rungOutcome));
    assert.deepEqual(trials.map((t) => `${t.status}@${t.resource}`), reference.trials.map((t) => `${t.status}@${t.resource}`));
    assert.equal(after.reduce((s, r) => s + (r.metrics?.trained as number), 0), referenceStore.rungs().reduce((s, r) => s + (r.metrics?.trained as number), 0));

    // Each trial's evaluator calls follow its rungs, each continuing from the previous rung's state;
    // the one call made twice is the rung that was in flight, again from its last finished rung.
    for (const t of trials) {
      const own = after.filter((r) => r.trial === t.number).map((r) => r.resource);
      const expected = own.map((to, i) => ({ from: i === 0 ? 0 : (own[i - 1] as number), to }));
      const twice = t.number === hold.trial ? expected.findIndex((c) => c.to === hold.resource) : -1;
      if (twice >= 0) expected.splice(twice, 0, expected[twice] as { from: number; to: number });
      assert.deepEqual(calls(trialsDir, t.number), expected, `trial ${t.number}`);
    }

    // `tsnas show --trial` lists the rungs of the best trial.
    const best = reference.best?.number as number;
    const shown = spawnSync(process.execPath, [BIN, 'show', 'killed', '--runs-dir', runs, '--trial', String(best)], { encoding: 'utf8' });
    assert.equal(shown.status, 0, shown.stderr);
    const record = JSON.parse(shown.stdout) as { status: string; resource: number; rungs: RungRecord[] };
    assert.deepEqual([record.status, record.resource, record.rungs.map((r) => r.resource)], ['complete', 9, [1, 3, 9]]);
    const table = spawnSync(process.execPath, [BIN, 'show', 'killed', '--runs-dir', runs], { encoding: 'utf8' });
    assert.match(table.stdout, /trials \d+: \d+ complete, \d+ stopped, 0 cached, 0 failed, 0 running/);
    assert.match(table.stdout, /fidelity/);
  });

  it('runs rungs through the pool executor with 2 workers, continuing each trial in whichever worker gets it', async () => {
    const file = join(tempDir(), 'pool.sqlite');
    const store = new SqliteStore(file);
    let running = 0;
    let most = 0;
    const config = curveConfig({ executor: { name: 'pool', options: { workers: 2 } }, plugins: [CURVE_PLUGIN], evaluator: { name: 'curve', options: { sleepMs: 30 } }, seed: 9 });
    const r = await runSearch(config, {
      name: 'pool',
      store,
      registries: curveRegistries(),
      onEngine: (engine) => {
        engine.on('start', () => (most = Math.max(most, ++running)));
        engine.on('rung', () => running--);
      },
    });
    const rungs = store.rungs();
    store.close();
    assert.equal(most, 2, 'two rungs in flight at once');
    assert.equal(r.evaluations, 12);
    assertAshaFinished(rungs, [1, 3, 9], 3);
    for (const x of rungs) assert.equal(x.reward, curveReward(r.trials[x.trial]?.genotype as number[], x.resource));
    // Every step trained once: each trial trained exactly up to the resource it reached.
    assert.equal(rungs.reduce((s, x) => s + (x.metrics?.trained as number), 0), r.trials.reduce((s, t) => s + (t.resource as number), 0));
    for (const t of r.trials) {
      const own = rungs.filter((x) => x.trial === t.number).map((x) => x.resource);
      assert.deepEqual(calls(join(file.replace(/\.sqlite$/, '.trials')), t.number), own.map((to, k) => ({ from: k === 0 ? 0 : own[k - 1], to })));
    }
    assert.ok(rungs.some((x) => x.resource === 9));
  });
});
