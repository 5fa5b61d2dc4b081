// Regret against the best in the table: the evaluator names its optimum, bench.json/csv/md give
// optimum − result per checkpoint; an evaluator without an optimum gives no regret at all.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Nb201Evaluator } from '../../src/evaluators/tabular/nb201-evaluator.js';
import { loadNb201Table } from '../../src/evaluators/tabular/nb201-table.js';
import { median } from '../../src/stats/summary.js';
import { readBench } from '../helpers/bench-json.js';
import { tsnas } from '../helpers/cli.js';
import { FAULT_PLUGIN } from '../helpers/fault-plugin.js';
import { writeSyntheticTable } from '../helpers/nb201-fixture.js';
import { tempDir } from '../helpers/run.js';

const dir = writeSyntheticTable();
const table = loadNb201Table(join(dir, 'nasbench201_cifar100.csv'));
const best = (f: (row: { testAcc: number; validAcc: number }) => number) => Math.max(...[...table.values()].map(f));

describe('regret against the table optimum', () => {
  it('the NAS-Bench-201 evaluator knows the best of each metric, but not of a noisy reward', () => {
    const plain = new Nb201Evaluator(table);
    assert.equal(plain.optimum('test_acc'), best((r) => r.testAcc));
    assert.equal(plain.optimum('val_acc'), best((r) => r.validAcc));
    assert.equal(new Nb201Evaluator(table, 0.5).optimum('val_acc'), undefined);
    assert.equal(new Nb201Evaluator(table, 0.5).optimum('test_acc'), best((r) => r.testAcc));
    assert.equal(plain.optimum('toString'), undefined);
    assert.equal(plain.optimum('params'), undefined);
  });

  it('bench.json, .csv and .md carry optimum − result at each checkpoint: mean ± std and median', () => {
    const out = tempDir();
    const r = tsnas(['bench', '--strategies', 'random,evolution', '--strategy-opt', 'evolution.population=5', '--seeds', '5', '--evaluations', '30', '--checkpoints', '10,30', '--out', out, '--quiet'], { env: { TSNAS_NB201_DIR: dir } });
    assert.equal(r.code, 0, r.err);
    const json = readBench(out);
    const optimum = best((row) => row.testAcc);
    assert.equal(json.optimum, optimum);
    for (const s of json.summaries) {
      const mine = json.runs.filter((run) => run.label === s.label);
      s.atCheckpoints.forEach((c, i) => {
        const regret = s.regret?.[i];
        assert.ok(regret && Math.abs(regret.mean - (optimum - c.mean)) < 1e-9, `${s.label} @${json.config.checkpoints[i]}`);
        assert.equal(regret.median, median(mine.map((run) => optimum - (run.atCheckpoints[i] as number))));
        assert.ok(regret.mean >= 0);
      });
    }
    const [header, row] = readFileSync(join(out, 'bench.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    assert.deepEqual(header?.slice(-4), ['test_acc@10', 'test_acc@30', 'regret@10', 'regret@30']);
    assert.ok(Math.abs(Number(row?.at(-1)) - (optimum - Number(row?.at(-3)))) < 1e-9);
    const md = readFileSync(join(out, 'bench.md'), 'utf8');
    assert.match(md, new RegExp(`regret: the best test_acc in the space \\(${optimum.toFixed(2)}\\) minus the strategy's; mean ± std \\(median\\)\\n\\n\\| strategy \\| @10 \\| @30 \\|`));
    const s0 = json.summaries[0]!.regret![1]!;
    assert.ok(md.includes(`| random | `) && md.includes(`${s0.mean.toFixed(2)} ± ${s0.std.toFixed(2)} (${s0.median.toFixed(2)}) |`));
  });

  it('an evaluator that knows no optimum gives no regret column', () => {
    const out = tempDir();
    const r = tsnas(['bench', '--plugin', FAULT_PLUGIN, '--space', 'toy', '--space-opt', 'cells=6', '--evaluator', 'toy', '--strategies', 'random', '--seeds', '2', '--evaluations', '8', '--out', out, '--quiet']);
    assert.equal(r.code, 0, r.err);
    const json = readBench(out);
    assert.equal(json.optimum, null);
    assert.equal(json.summaries[0]?.regret, undefined);
    assert.doesNotMatch(readFileSync(join(out, 'bench.csv'), 'utf8'), /regret/);
    assert.doesNotMatch(readFileSync(join(out, 'bench.md'), 'utf8'), /regret/);
  });
});
