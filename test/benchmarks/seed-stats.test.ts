import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CurvePoint } from '../../benchmarks/lib/search-summary.js';
import { bandsCsv, bestAfter, curveBand, fixed, meanStd, pairwise, plusMinus, pText, welchP } from '../../benchmarks/lib/seed-stats.js';
import { summarize, welchTTest } from '../../src/stats/summary.js';

const point = (evaluations: number, bestReward: number | null): CurvePoint => ({ evaluations, rungs: 0, seconds: 0, trial: 0, resource: null, bestTrial: null, bestResource: null, bestReward });

describe('cross-seed statistics of the search benchmarks', () => {
  // Two searches: rungs finish after 1, 1, 3 and after 2, 4 evaluations started.
  const a = [point(1, 10), point(1, 12), point(3, 11)];
  const b = [point(2, 20), point(4, 25)];

  it('takes the best-so-far after n evaluations from the last rung finished within them', () => {
    assert.equal(bestAfter(b, 1), null);
    assert.equal(bestAfter(a, 2), 12);
    // The best at a higher rung replaces the lower rung's, as the engine's best-trial rule does.
    assert.equal(bestAfter(a, 3), 11);
    assert.equal(bestAfter(b, 9), 25);
  });

  it('averages over the seeds that have a value, with a t-interval', () => {
    const band = curveBand([a, b], 4);
    assert.deepEqual(band.map((p) => p.n), [1, 2, 2, 2]);
    assert.equal(band[0]?.mean, 12);
    assert.deepEqual(band[2], { evaluations: 3, ...summarize([11, 20]) });
    assert.ok((band[3]?.ciLow as number) < 18 && (band[3]?.ciHigh as number) > 18);
    const csv = bandsCsv([{ strategy: 'x', band }]).trim().split('\n');
    assert.equal(csv[0], 'evaluations,x_n,x_mean,x_ci_low,x_ci_high');
    assert.equal(csv[1], '1,1,12,12,12');
  });

  it('prints mean ± std (with the count when seeds are missing), p-values, and — where there is no number', () => {
    const s = summarize([1, 2, 4]);
    assert.equal(meanStd([1, 2, 4], 2), `${s.mean.toFixed(2)} ± ${s.std.toFixed(2)}`);
    assert.equal(meanStd([1, 2, 4], 2, 5), `${s.mean.toFixed(2)} ± ${s.std.toFixed(2)} (3 seeds)`);
    assert.equal(meanStd([], 2, 5), '—');
    assert.equal(plusMinus({ mean: NaN, std: 0 }, 2), '—');
    assert.deepEqual([fixed(2.5, 2), fixed(null, 2), fixed(undefined, 2), fixed(Infinity, 2)], ['2.50', '—', '—', '—']);
    assert.deepEqual([pText(0.0123), pText(null)], ['1.2e-2', '']);
  });

  it('compares groups by Welch, and needs two values a side', () => {
    assert.equal(welchP([1], [2, 3]), null);
    const [ab] = pairwise([{ label: 'a', values: [1, 2, 3] }, { label: 'b', values: [4, 6, 5] }]);
    assert.deepEqual(ab, { a: 'a', b: 'b', diff: -3, p: welchTTest([1, 2, 3], [4, 6, 5]).p });
  });
});
