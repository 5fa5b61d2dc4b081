import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TrialRecord } from '../../src/core/trial.js';
import { bestTrial } from '../../src/engine/best-trial.js';
import { summarize } from '../../src/stats/summary.js';
import { RunsFolder } from '../../src/store/runs-folder.js';
import { DIST } from '../helpers/module-trace.js';

// The benchmark end to end on a tiny budget: 2 strategies x 2 seeds of 2 children (rungs 2 and 4 steps)
// of a 2-block, 2-filter child on 32 MNIST images, 1 retrain seed, everything inline (no worker start-up).
const dir = mkdtempSync(join(tmpdir(), 'tsnas-nasnet-bench-'));
const runsDir = join(dir, 'runs');
const out = join(dir, 'out');
const args = [
  ...['--strategies', 'random,evolution', '--search-seeds', '0,1', '--evaluations', '2', '--steps', '4', '--min-steps', '2', '--eta', '2'],
  ...['--filters', '2', '--blocks', '2', '--dataset', 'mnist', '--eval-seeds', '1', '--executor', 'inline', '--checkpoints', '1,2'],
  ...['--evaluator-opt', 'batchSize=8', '--evaluator-opt', 'trainImages=64', '--evaluator-opt', 'valImages=32', '--evaluator-opt', 'testImages=32'],
  ...['--runs-dir', runsDir, '--out', out],
];
const bench = (extra: string[] = []) => spawnSync(process.execPath, [join(DIST, 'benchmarks', 'nasnet-search.js'), ...args, ...extra], { encoding: 'utf8', timeout: 120_000 });

interface Report {
  budget: { evaluations: number; steps: number };
  cells: { label: string; kind: string; key: string; seeds: number[]; testAcc: number[]; valAcc: number[] }[];
  strategies: { strategy: string; samples: { seed: number; value: number }[]; values: number[] }[];
  pairwise: { a: string; b: string; diff: number; p: number | null }[];
  bands: { strategy: string; band: { evaluations: number; n: number; mean: number }[] }[];
  searches: { strategy: string; experiment: string; evaluations: number; finished: boolean; returned: { trial: number; key: string; searchReward: number; by: string } | null; curve: { bestReward: number | null }[] }[];
}
const readReport = () => JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
const runRows = () => readFileSync(join(out, 'runs.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { key: string; seed: number; rung: number; metrics: { test_acc: number } });

describe('nasnet-search benchmark (tiny budget)', () => {
  let first: ReturnType<typeof bench>;
  before(() => {
    first = bench();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the four searches and retrains the returned and named cells', () => {
    assert.equal(first.status, 0, first.stderr);
    const report = readReport();
    assert.deepEqual(report.searches.map((s) => s.experiment), ['nasnet-fmnist-random-s0', 'nasnet-fmnist-random-s1', 'nasnet-fmnist-evolution-s0', 'nasnet-fmnist-evolution-s1']);
    assert.ok(report.searches.every((s) => s.finished && s.evaluations === 2));
    assert.deepEqual(report.cells.slice(0, 2).map((c) => c.label), ['nasnet-a', 'resnet-like']);
    assert.equal(report.cells.length, 6);
    for (const title of ['| cells | val acc | test acc | p vs nasnet-a |', '| strategy | search seeds | test acc | per seed | p vs nasnet-a |', '| random − evolution |', '| strategy | @1 | @2 |']) {
      assert.ok(first.stdout.includes(title), title);
    }
  });

  it("returns each store's best trial, and its curve ends at that trial's reward", () => {
    const folder = new RunsFolder(runsDir);
    for (const s of readReport().searches) {
      const store = folder.read(s.experiment);
      const trials: TrialRecord[] = store.trials();
      store.close();
      const best = bestTrial(trials) as TrialRecord;
      assert.equal(s.returned?.trial, best.number, s.experiment);
      assert.equal(s.returned?.key, best.key);
      assert.equal(s.returned?.by, 'best trial');
      assert.equal(s.curve.at(-1)?.bestReward, best.reward);
    }
  });

  it('reports the retraining rows, per-strategy samples and curve bands that the stores and runs.jsonl hold', () => {
    const report = readReport();
    const rows = runRows();
    for (const c of report.cells) {
      const row = rows.find((r) => r.key === c.key && r.seed === 0 && r.rung === report.budget.steps);
      assert.ok(row, c.label);
      assert.deepEqual(c.testAcc, [row.metrics.test_acc]);
    }
    for (const s of report.strategies) {
      const mine = report.searches.filter((x) => x.strategy === s.strategy);
      const expected = mine.map((x) => summarize(report.cells.find((c) => c.kind === `search:${x.experiment}`)?.testAcc ?? []).mean);
      assert.deepEqual(s.values, expected);
      const band = report.bands.find((b) => b.strategy === s.strategy)?.band.at(-1);
      assert.equal(band?.evaluations, 2);
      assert.equal(band?.n, 2);
      assert.ok(Math.abs((band?.mean as number) - summarize(mine.map((x) => x.curve.at(-1)?.bestReward as number)).mean) < 1e-9);
    }
    const pair = report.pairwise[0];
    assert.equal(pair?.a, 'random');
    assert.ok(Math.abs((pair?.diff as number) - (summarize(report.strategies[0]?.values ?? []).mean - summarize(report.strategies[1]?.values ?? []).mean)) < 1e-9);
    const csv = readFileSync(join(out, 'curves.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'evaluations,random_n,random_mean,random_ci_low,random_ci_high,evolution_n,evolution_mean,evolution_ci_low,evolution_ci_high');
    assert.equal(csv.length, 3);
  });

  it('a rerun trains nothing: the finished searches are skipped and the rows are reused', () => {
    const before = readFileSync(join(out, 'runs.jsonl'), 'utf8');
    const reportBefore = readFileSync(join(out, 'report.md'), 'utf8');
    const again = bench();
    assert.equal(again.status, 0, again.stderr);
    assert.equal((again.stderr.match(/finished .*, not run again/g) ?? []).length, 4);
    assert.equal(readFileSync(join(out, 'runs.jsonl'), 'utf8'), before);
    assert.equal(readFileSync(join(out, 'report.md'), 'utf8'), reportBefore);
  });

  it('refuses a bad executor by name', () => {
    const r = bench(['--executor', 'queue']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--executor.*expected pool or inline/);
  });
});
