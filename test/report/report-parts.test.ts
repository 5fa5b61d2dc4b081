import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrialRecord } from '../../src/core/trial.js';
import { drawerFor } from '../../src/report/draw/drawers.js';
import { paretoFront, progressSeries } from '../../src/report/search-series.js';
import { NAMED_PYRAMIDS } from '../../src/spaces/nasfpn/named.js';

const trial = (number: number, over: Partial<TrialRecord>): TrialRecord => ({
  number, status: 'complete', choices: [], genotype: null, key: `k${number}`, metrics: {}, reward: 0, seed: 0,
  startedAt: 1000, finishedAt: 1000 + 1000 * (number + 1), error: null, cachedFrom: null, info: null, ...over,
});

describe('report parts', () => {
  it('paretoFront keeps the points no other beats on both reward and cost', () => {
    const pts = [{ c: 1, r: 0.1 }, { c: 2, r: 0.3 }, { c: 3, r: 0.2 }, { c: 4, r: 0.5 }, { c: 4, r: 0.4 }, { c: 2, r: 0.3 }];
    assert.deepEqual(paretoFront(pts, (p) => p.c, (p) => p.r).map((p) => [p.c, p.r]), [[1, 0.1], [2, 0.3], [4, 0.5]]);
  });

  it('progressSeries: best so far by the best-trial rule, failed at the floor, cached costing no evaluation', () => {
    const series = progressSeries([
      trial(0, { reward: 0.5, resource: 10, status: 'stopped' }),
      trial(1, { reward: 0.2, resource: 30 }),
      trial(2, { reward: null, status: 'failed', error: 'boom', metrics: null }),
      trial(3, { reward: 0.2, resource: 30, status: 'cached', cachedFrom: 1 }),
      trial(4, { reward: 0.4, resource: 30 }),
    ]);
    assert.deepEqual(series.map((p) => p.best), [0.5, 0.2, 0.2, 0.2, 0.4], 'a higher rung beats a higher reward at a lower one');
    assert.deepEqual(series.map((p) => p.evaluation), [1, 2, 3, 3, 4]);
    assert.deepEqual(series.map((p) => p.status), ['stopped (pruned)', 'complete', 'failed', 'cached', 'complete']);
    assert.equal(series[2]!.reward, 0.2, 'a failed trial sits at the lowest reward');
    assert.deepEqual(series.map((p) => p.seconds), [1, 2, 3, 4, 5]);
  });

  it('draws a NAS-FPN pyramid: every node, an edge per operand and per added-in node, outputs bold', () => {
    const draw = drawerFor('nasfpn')!;
    const d = draw(NAMED_PYRAMIDS['nasfpn-paper'], {});
    assert.equal((d.svg.match(/<g class="node/g) ?? []).length, 12);
    assert.equal((d.svg.match(/<g class="node output"/g) ?? []).length, 5);
    // 7 cells x 2 operands, plus the two unconsumed inputs (P5, P7) the paper's output cells add in.
    assert.equal((d.svg.match(/<path class="edge/g) ?? []).length, 16);
    assert.equal((d.svg.match(/class="edge [a-z]+ extra"/g) ?? []).length, 2);
    assert.equal(d.lines[0], 'n5 = global_pool(P6, P4) @P4');
    assert.equal(drawerFor('nasbench201'), undefined);
  });
});
