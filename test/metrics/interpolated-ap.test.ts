import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COCO_IOU_THRESHOLDS, interpolatedAp, RECALL_THRESHOLDS } from '../../src/metrics/index.js';

test('threshold grids match numpy.linspace values', () => {
  assert.equal(RECALL_THRESHOLDS.length, 101);
  assert.equal(RECALL_THRESHOLDS[0], 0);
  assert.equal(RECALL_THRESHOLDS[50], 0.5);
  assert.equal(RECALL_THRESHOLDS[100], 1);
  assert.equal(COCO_IOU_THRESHOLDS.length, 10);
  assert.equal(COCO_IOU_THRESHOLDS[2], 0.6);
  assert.equal(COCO_IOU_THRESHOLDS[9], 0.95);
});

test('all true positives give exactly 1', () => {
  assert.equal(interpolatedAp([1, 1, 1], [0, 0, 0], 3), 1);
});

test('no detections or no true positives give 0', () => {
  assert.equal(interpolatedAp([], [], 2), 0);
  assert.equal(interpolatedAp([0, 0], [1, 1], 2), 0);
});

test('TP, FP, TP with 2 GT: precision 1 up to recall 0.5, then 2/3', () => {
  // recall [.5, .5, 1], precision [1, .5, 2/3] -> envelope [1, 2/3, 2/3];
  // recall points 0.00..0.50 (51) read 1, points 0.51..1.00 (50) read 2/3.
  const ap = interpolatedAp([1, 0, 1], [0, 1, 0], 2);
  assert.ok(Math.abs(ap - (51 + 50 * (2 / 3)) / 101) < 1e-12, `got ${ap}`);
});

test('recall never reaching 1 leaves the upper points at 0', () => {
  // 1 of 4 GT found at rank 1: recall 0.25 -> points 0.00..0.25 (26) read 1.
  assert.equal(interpolatedAp([1], [0], 4), 26 / 101);
});

test('ignored detections (0, 0) change nothing', () => {
  assert.equal(interpolatedAp([0, 1, 0, 0, 1], [0, 0, 0, 1, 0], 2), interpolatedAp([1, 0, 1], [0, 1, 0], 2));
});
