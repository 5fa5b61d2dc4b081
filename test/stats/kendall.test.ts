import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kendallTau } from '../../src/stats/kendall.js';

test('kendallTau: perfect agreement, reversal, a hand-computed case and ties (tau-b)', () => {
  assert.equal(kendallTau([1, 2, 3, 4], [10, 20, 30, 40]), 1);
  assert.equal(kendallTau([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  // Pairs of [1,2,3,4] vs [1,3,2,4]: 5 concordant, 1 discordant -> (5 - 1) / 6.
  assert.ok(Math.abs(kendallTau([1, 2, 3, 4], [1, 3, 2, 4]) - 4 / 6) < 1e-12);
  // scipy.stats.kendalltau([1,2,2,3],[1,2,3,4]) = 0.9128709291752769 (tau-b).
  assert.ok(Math.abs(kendallTau([1, 2, 2, 3], [1, 2, 3, 4]) - 0.9128709291752769) < 1e-12);
  assert.ok(Number.isNaN(kendallTau([1, 1], [2, 2])));
  assert.throws(() => kendallTau([1], [1, 2]), RangeError);
});
