import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { median, quantile } from '../../src/stats/summary.js';

describe('quantile', () => {
  it("interpolates between order statistics as R's quantile(type = 7) does", () => {
    const xs = [7, 1, 3, 5];
    // quantile(c(1, 3, 5, 7), c(0, .25, .5, .75, 1)) = 1 2.5 4 5.5 7
    assert.deepEqual([0, 0.25, 0.5, 0.75, 1].map((q) => quantile(xs, q)), [1, 2.5, 4, 5.5, 7]);
    assert.equal(quantile(xs, 0.5), median(xs));
    assert.equal(quantile([2], 0.25), 2);
    assert.ok(Number.isNaN(quantile([], 0.5)));
  });
});
