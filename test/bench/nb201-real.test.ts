import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runBench } from '../../src/bench/tabular-bench.js';
import { REAL_NB201_DIR } from '../helpers/nb201-fixture.js';
import { registries } from '../helpers/run.js';

const skip = !existsSync(REAL_NB201_DIR) && `real NAS-Bench-201 tables not found at ${REAL_NB201_DIR}`;

describe('NAS-Bench-201 CIFAR-100 benchmark (real tables)', () => {
  it('regularized evolution beats random search over 100 seeds x 150 evaluations, near the published numbers', { skip }, async () => {
    const r = await runBench(
      {
        entries: [
          { label: 'random', strategy: { name: 'random', options: {} } },
          { label: 'evolution', strategy: { name: 'evolution', options: {} } },
        ],
        space: { name: 'nasbench201', options: {} },
        evaluator: { name: 'nasbench201', options: { dataset: 'cifar100', path: REAL_NB201_DIR } },
        seeds: 100,
        seedStart: 0,
        evaluations: 150,
        checkpoints: [50, 150],
        plugins: [],
      },
      registries(),
    );
    const [rs, rea] = r.summaries.map((s) => s.atCheckpoints[1]!);
    assert.equal(r.reportMetric, 'test_acc');
    // The table's best test accuracy (the published 73.51), and regret against it.
    assert.ok(Math.abs((r.optimum as number) - 73.5133) < 1e-4, `optimum ${r.optimum}`);
    assert.ok(Math.abs(r.summaries[1]!.regret![1]!.mean - ((r.optimum as number) - rea!.mean)) < 1e-9);
    // Non-overlapping 95% confidence intervals, and a significant Welch test.
    assert.ok(rea!.ciLow > rs!.ciHigh, `evolution ${JSON.stringify(rea)} vs random ${JSON.stringify(rs)}`);
    assert.ok(r.pairwise[0]!.p < 0.05);
    // Published (NAS-Bench-201 paper): RS 71.04 ± 1.07, REA 71.84 ± 0.99; best in the space 73.51.
    for (const s of [rs!, rea!]) assert.ok(s.mean > 70.5 && s.mean < 73.51, `mean ${s.mean}`);
  });
});
