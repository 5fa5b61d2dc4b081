import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  COCO_AREA_THRESHOLDS,
  evaluateDetections,
  type Box,
  type Detection,
  type GroundTruth,
} from '../../src/metrics/index.js';

const gt = (box: Box, label = 0): GroundTruth => ({ box, label });
const det = (box: Box, score: number, label = 0): Detection => ({ box, label, score });
const A: Box = [0, 0, 10, 10];
const B: Box = [50, 50, 60, 60];
const NOWHERE: Box = [100, 100, 110, 110];
const close = (actual: number, expected: number, msg?: string): void =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${msg ?? ''} expected ${expected}, got ${actual}`);
/** TP, FP, TP over 2 GT: 51 recall points at precision 1, 50 at 2/3. */
const TP_FP_TP = (51 + 50 * (2 / 3)) / 101;

test('perfect detections give exactly 1 everywhere a size has ground truth', () => {
  const r = evaluateDetections(
    [
      { groundTruth: [gt(A), gt(B, 1)], detections: [det(A, 0.9), det(B, 0.8, 1)] },
      { groundTruth: [gt([0, 0, 40, 40], 2)], detections: [det([0, 0, 40, 40], 0.7, 2)] },
    ],
    { areaThresholds: { small: 200, medium: 1000 } },
  );
  assert.equal(r.ap, 1);
  assert.equal(r.ap50, 1);
  assert.equal(r.ap75, 1);
  assert.equal(r.apS, 1);
  assert.equal(r.apM, -1, 'no ground truth of area 200..1000');
  assert.equal(r.apL, 1);
  assert.deepEqual(r.apPerIou, Array(10).fill(1));
  assert.deepEqual([...r.perClass], [[0, 1], [1, 1], [2, 1]]);
  assert.equal(r.numGroundTruth, 3);
  assert.equal(r.numDetections, 3);
});

test('one false positive ranked above a true positive', () => {
  // Single GT: FP then TP -> precision 1/2 at recall 1, for every recall point.
  const single = evaluateDetections([{ groundTruth: [gt(A)], detections: [det(NOWHERE, 0.9), det(A, 0.8)] }]);
  assert.equal(single.ap, 0.5);
  // Two GT, ranks TP (.9), FP (.8), TP (.7): hand value (51 * 1 + 50 * 2/3) / 101 = 0.834983...
  const two = evaluateDetections([
    { groundTruth: [gt(A), gt(B)], detections: [det(A, 0.9), det(NOWHERE, 0.8), det(B, 0.7)] },
  ]);
  close(two.ap, TP_FP_TP);
  close(two.ap50, TP_FP_TP);
  close(two.ap75, TP_FP_TP);
  close(TP_FP_TP, 0.8349834983498349);
});

test('a box at IoU 0.6 is a true positive for thresholds 0.50..0.60 only', () => {
  // IoU([0,0,10,6], [0,0,10,10]) = 60/100 = 0.6 exactly; pycocotools matches at IoU >= threshold.
  const r = evaluateDetections([{ groundTruth: [gt(A)], detections: [det([0, 0, 10, 6], 0.9)] }]);
  assert.deepEqual(r.apPerIou, [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(r.ap, 0.3);
  assert.equal(r.ap50, 1);
  assert.equal(r.ap75, 0);
  // And strictly between thresholds: IoU 0.62.
  const r2 = evaluateDetections([{ groundTruth: [gt(A)], detections: [det([0, 0, 10, 6.2], 0.9)] }]);
  assert.equal(r2.ap, 0.3);
});

test('a duplicate detection is a false positive', () => {
  // Below the only TP it costs nothing: precision 1 is already reached at recall 1.
  const after = evaluateDetections([{ groundTruth: [gt(A)], detections: [det(A, 0.9), det(A, 0.8)] }]);
  assert.equal(after.ap, 1);
  // Ranked above the second object's TP it is the FP of TP, FP, TP.
  const between = evaluateDetections([
    { groundTruth: [gt(A), gt(B)], detections: [det(A, 0.9), det([0, 0, 10, 9], 0.8), det(B, 0.7)] },
  ]);
  close(between.ap, TP_FP_TP);
});

test('greedy matching: the higher score takes the best GT, each GT matched once', () => {
  // Two GTs side by side; det1 (score .9) overlaps both but G1 more; det2 then can only take G2.
  const G1: Box = [0, 0, 10, 10];
  const G2: Box = [8, 0, 18, 10];
  const r = evaluateDetections(
    [{ groundTruth: [gt(G1), gt(G2)], detections: [det([1, 0, 11, 10], 0.9), det([8, 0, 18, 10], 0.8)] }],
    { iouThresholds: [0.5] },
  );
  assert.equal(r.ap, 1);
  assert.equal(r.ap75, -1, '0.75 was not evaluated');
});

test('equal scores keep input order (stable sort, like pycocotools mergesort)', () => {
  const tpFirst = evaluateDetections([{ groundTruth: [gt(A)], detections: [det(A, 0.5), det(NOWHERE, 0.5)] }]);
  const fpFirst = evaluateDetections([{ groundTruth: [gt(A)], detections: [det(NOWHERE, 0.5), det(A, 0.5)] }]);
  assert.equal(tpFirst.ap, 1);
  assert.equal(fpFirst.ap, 0.5);
});

test('detections are ranked across images', () => {
  // Global order: FP (img1, .9), TP (img0, .6), TP (img1, .5): precision envelope 2/3 everywhere.
  const r = evaluateDetections([
    { groundTruth: [gt(A)], detections: [det(A, 0.6)] },
    { groundTruth: [gt(B)], detections: [det(NOWHERE, 0.9), det(B, 0.5)] },
  ]);
  close(r.ap, 2 / 3);
});

test('multiple classes: mean over classes with GT; classes without GT excluded', () => {
  const r = evaluateDetections([
    {
      groundTruth: [gt(A, 0), gt(B, 1), gt(NOWHERE, 3)],
      detections: [
        det(A, 0.9, 0), // class 0: perfect
        det([20, 20, 30, 30], 0.95, 1), // class 1: FP above its TP -> 0.5
        det(B, 0.8, 1),
        det(B, 0.99, 0), // right box, wrong class: an FP for class 0, ranked first -> class 0 = 0.5
        det([70, 70, 80, 80], 0.99, 2), // class 2 has no GT: excluded, whatever it predicts
        // class 3 has GT but no detection -> 0
      ],
    },
  ]);
  assert.deepEqual([...r.perClass.keys()], [0, 1, 3]);
  assert.equal(r.perClass.get(0), 0.5);
  assert.equal(r.perClass.get(1), 0.5);
  assert.equal(r.perClass.get(3), 0);
  close(r.ap, (0.5 + 0.5 + 0) / 3);
  assert.equal(r.numDetections, 4, 'the class-2 detection takes no part');
});

test('size buckets count only their own GT and ignore out-of-range detections', () => {
  const t = { small: 100, medium: 400 };
  const small: Box = [0, 0, 8, 8]; // 64
  const medium: Box = [20, 20, 35, 35]; // 225
  const large: Box = [60, 60, 90, 90]; // 900
  const r = evaluateDetections(
    [
      {
        groundTruth: [gt(small), gt(medium), gt(large)],
        detections: [
          det([0, 90, 30, 120], 0.95), // large FP (area 900)
          det(small, 0.9),
          det([40, 0, 55, 15], 0.8), // medium FP (area 225)
          det(medium, 0.7),
          // the large GT is missed
        ],
      },
    ],
    { areaThresholds: t },
  );
  // small: only the small GT counts; the large/medium FPs and the medium TP are outside the range.
  assert.equal(r.apS, 1);
  // medium: large FP ignored, small TP ignored (its GT is out of range), medium FP above medium TP.
  assert.equal(r.apM, 0.5);
  // large: the large FP counts, the large GT is never found.
  assert.equal(r.apL, 0);
  // all: FP, TP, FP, TP over 3 GT -> envelope 1/2 for recall points 0.00..0.66 (67 of them).
  close(r.ap, (67 * 0.5) / 101);
});

test('a size range without ground truth reports -1, never NaN', () => {
  const r = evaluateDetections([{ groundTruth: [gt([0, 0, 4, 4])], detections: [det([0, 0, 40, 40], 0.9)] }]);
  assert.deepEqual(r.areaThresholds, COCO_AREA_THRESHOLDS);
  assert.equal(r.apS, 0);
  assert.equal(r.apM, -1);
  assert.equal(r.apL, -1);
  const none = evaluateDetections([{ groundTruth: [], detections: [det(A, 0.9)] }]);
  for (const v of [none.ap, none.ap50, none.ap75, none.apS, none.apM, none.apL]) assert.equal(v, -1);
  assert.equal(none.perClass.size, 0);
  assert.equal(evaluateDetections([]).ap, -1);
});

test('maxDetections keeps the top-scored detections per image', () => {
  const dets = [det(NOWHERE, 0.9), det([200, 0, 210, 10], 0.8), det([0, 200, 10, 210], 0.7), det(A, 0.6)];
  const all = evaluateDetections([{ groundTruth: [gt(A)], detections: dets }]);
  assert.equal(all.ap, 0.25);
  const capped = evaluateDetections([{ groundTruth: [gt(A)], detections: dets }], { maxDetections: 3 });
  assert.equal(capped.ap, 0);
  assert.equal(capped.numDetections, 3);
  // Per image vs per image-and-class (pycocotools): a class-1 detection uses up the image budget only.
  const mixed = [{ groundTruth: [gt(A)], detections: [det(A, 0.6), det(B, 0.9, 1)] }];
  assert.equal(evaluateDetections(mixed, { maxDetections: 1 }).ap, 0);
  assert.equal(evaluateDetections(mixed, { maxDetections: 1, maxDetectionsScope: 'class' }).ap, 1);
});

test('invalid input is rejected', () => {
  assert.throws(() => evaluateDetections([{ groundTruth: [gt([5, 0, 0, 5])], detections: [] }]), RangeError);
  assert.throws(() => evaluateDetections([{ groundTruth: [], detections: [det(A, NaN)] }]), RangeError);
  assert.throws(() => evaluateDetections([], { maxDetections: 0 }), RangeError);
  assert.throws(() => evaluateDetections([], { areaThresholds: { small: 50, medium: 10 } }), RangeError);
});
