// COCO-style bbox AP (pycocotools' evaluate + accumulate + summarize) over plain arrays.
import { assertValidBox, boxArea, boxIou } from './box.js';
import { interpolatedAp } from './interpolated-ap.js';
import { matchImageClass, type ImageClassMatch } from './match.js';
import {
  areaRange,
  assertValidAreaThresholds,
  COCO_AREA_THRESHOLDS,
  COCO_IOU_THRESHOLDS,
  type SizeBucket,
} from './thresholds.js';
import type {
  AreaThresholds,
  Detection,
  EvaluationOptions,
  EvaluationResult,
  GroundTruth,
  ImageEvaluationInput,
} from './types.js';

const RANGES: readonly (SizeBucket | 'all')[] = ['all', 'small', 'medium', 'large'];

/** Indices of `dets` by descending score; ties keep input order (pycocotools' mergesort). */
function byScore(dets: readonly Detection[]): number[] {
  return Array.from(dets.keys()).sort((a, b) => dets[b]!.score - dets[a]!.score);
}

function groupByLabel<T extends { label: number }>(items: readonly T[]): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const it of items) {
    const list = m.get(it.label);
    if (list) list.push(it);
    else m.set(it.label, [it]);
  }
  return m;
}

function validate(img: ImageEvaluationInput, i: number): void {
  for (const g of img.groundTruth) assertValidBox(g.box, `image ${i} ground truth`);
  for (const d of img.detections) {
    assertValidBox(d.box, `image ${i} detection`);
    if (!Number.isFinite(d.score)) throw new RangeError(`image ${i}: detection score ${d.score} is not finite`);
  }
}

/** Match one image/class for every area range. */
function matchAllRanges(
  gts: readonly GroundTruth[],
  dets: readonly Detection[],
  opts: { iouThresholds: readonly number[]; areaThresholds: AreaThresholds },
): ImageClassMatch[] {
  const G = gts.length;
  const iou = new Float64Array(dets.length * G);
  dets.forEach((d, di) => gts.forEach((g, gi) => (iou[di * G + gi] = boxIou(d.box, g.box))));
  const scores = Float64Array.from(dets, (d) => d.score);
  const detAreas = Float64Array.from(dets, (d) => boxArea(d.box));
  const gtAreas = Float64Array.from(gts, (g) => boxArea(g.box));
  return RANGES.map((r) =>
    matchImageClass(scores, detAreas, gtAreas, iou, areaRange(r, opts.areaThresholds), opts.iouThresholds),
  );
}

/** AP per IoU threshold for one class and range, over all images; null without counted ground truth. */
function accumulate(matches: readonly ImageClassMatch[], numThresholds: number): number[] | null {
  const numGt = matches.reduce((s, m) => s + m.numGroundTruth, 0);
  if (numGt === 0) return null;
  // Flatten to (image, detection) pairs in image order; a stable sort then gives pycocotools' order.
  const which: number[] = [];
  const local: number[] = [];
  const scores: number[] = [];
  matches.forEach((m, k) => {
    for (let d = 0; d < m.scores.length; d++) {
      which.push(k);
      local.push(d);
      scores.push(m.scores[d]!);
    }
  });
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const tp = new Uint8Array(n);
  const fp = new Uint8Array(n);
  const aps: number[] = [];
  for (let t = 0; t < numThresholds; t++) {
    for (let r = 0; r < n; r++) {
      const m = matches[which[order[r]!]!]!;
      const i = t * m.scores.length + local[order[r]!]!;
      tp[r] = m.tp[i]!;
      fp[r] = m.fp[i]!;
    }
    aps.push(interpolatedAp(tp, fp, numGt));
  }
  return aps;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Mean over classes that have a value; -1 when none has. */
function meanOrMinusOne(values: readonly (number | null)[]): number {
  const defined = values.filter((v): v is number => v !== null);
  return defined.length ? mean(defined) : -1;
}

/**
 * Evaluate detections against ground truth over a set of images.
 * Classes are those with at least one ground-truth object; detections of other labels are ignored.
 * Undefined APs (no ground truth in a size range, or ap50/ap75 when 0.5/0.75 is not a threshold) are -1.
 */
export function evaluateDetections(
  images: readonly ImageEvaluationInput[],
  options: EvaluationOptions = {},
): EvaluationResult {
  const iouThresholds = options.iouThresholds ?? COCO_IOU_THRESHOLDS;
  const maxDetections = options.maxDetections ?? 100;
  const scope = options.maxDetectionsScope ?? 'image';
  const areaThresholds = options.areaThresholds ?? COCO_AREA_THRESHOLDS;
  if (iouThresholds.length === 0 || !iouThresholds.every((t) => t >= 0 && t <= 1)) {
    throw new RangeError('iouThresholds: need at least one value in [0, 1]');
  }
  if (!(Number.isInteger(maxDetections) && maxDetections > 0)) {
    throw new RangeError(`maxDetections: need a positive integer, got ${maxDetections}`);
  }
  assertValidAreaThresholds(areaThresholds);

  const classes = [...new Set(images.flatMap((im) => im.groundTruth.map((g) => g.label)))].sort((a, b) => a - b);
  // perRange[r].get(class) = one match record per image that has this class.
  const perRange = RANGES.map(() => new Map<number, ImageClassMatch[]>(classes.map((c) => [c, []])));
  let numGroundTruth = 0;
  let numDetections = 0;

  images.forEach((img, i) => {
    validate(img, i);
    numGroundTruth += img.groundTruth.length;
    let dets = byScore(img.detections).map((k) => img.detections[k]!);
    if (scope === 'image') dets = dets.slice(0, maxDetections);
    const gtByClass = groupByLabel(img.groundTruth);
    const detByClass = groupByLabel(dets);
    for (const c of classes) {
      const gts = gtByClass.get(c) ?? [];
      const ds = (detByClass.get(c) ?? []).slice(0, maxDetections);
      numDetections += ds.length;
      if (gts.length === 0 && ds.length === 0) continue;
      matchAllRanges(gts, ds, { iouThresholds, areaThresholds }).forEach((m, r) => perRange[r]!.get(c)!.push(m));
    }
  });

  // table[r][k] = AP per threshold of class k in range r (null: no ground truth there).
  const table = perRange.map((byClass) => classes.map((c) => accumulate(byClass.get(c)!, iouThresholds.length)));
  const overThresholds = (r: number): number => meanOrMinusOne(table[r]!.map((aps) => (aps ? mean(aps) : null)));
  const atThreshold = (t: number): number => meanOrMinusOne(table[0]!.map((aps) => (aps ? aps[t]! : null)));
  const indexOf = (v: number): number => iouThresholds.findIndex((t) => Math.abs(t - v) < 1e-9);
  const ap50Index = indexOf(0.5);
  const ap75Index = indexOf(0.75);

  return {
    ap: overThresholds(0),
    ap50: ap50Index < 0 ? -1 : atThreshold(ap50Index),
    ap75: ap75Index < 0 ? -1 : atThreshold(ap75Index),
    apS: overThresholds(1),
    apM: overThresholds(2),
    apL: overThresholds(3),
    apPerIou: iouThresholds.map((_, t) => atThreshold(t)),
    perClass: new Map(classes.map((c, k) => [c, mean(table[0]![k]!)])),
    iouThresholds: [...iouThresholds],
    areaThresholds,
    numImages: images.length,
    numGroundTruth,
    numDetections,
  };
}
