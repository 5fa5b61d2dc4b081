import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boxArea, boxIou } from '../../src/metrics/index.js';

test('boxArea uses w * h without +1', () => {
  assert.equal(boxArea([2, 3, 12, 8]), 50);
  assert.equal(boxArea([1, 1, 1, 5]), 0);
});

test('boxIou of identical, disjoint, touching and nested boxes', () => {
  assert.equal(boxIou([0, 0, 10, 10], [0, 0, 10, 10]), 1);
  assert.equal(boxIou([0, 0, 10, 10], [20, 20, 30, 30]), 0);
  assert.equal(boxIou([0, 0, 10, 10], [10, 0, 20, 10]), 0, 'shared edge has no area');
  assert.equal(boxIou([0, 0, 10, 10], [0, 0, 10, 6]), 0.6);
  assert.equal(boxIou([0, 0, 10, 10], [5, 0, 15, 10]), 50 / 150);
  assert.equal(boxIou([0, 0, 0, 0], [0, 0, 0, 0]), 0, 'empty union gives 0, not NaN');
});
