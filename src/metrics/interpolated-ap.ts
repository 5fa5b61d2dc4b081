// COCO's interpolated average precision for one class, one IoU threshold and one size range.
import { RECALL_THRESHOLDS } from './thresholds.js';

/**
 * `tp[i]`/`fp[i]` flag the i-th detection in descending score order (both 0 for an ignored detection).
 * Precision is made monotone from the right, then read at the first rank whose recall reaches each
 * recall point; points beyond the highest recall reached contribute 0. Returns the mean over points.
 * Unlike pycocotools we divide without its `+ eps`, so perfect precision is exactly 1 (values
 * otherwise agree to about 1e-16).
 */
export function interpolatedAp(
  tp: ArrayLike<number>,
  fp: ArrayLike<number>,
  numGroundTruth: number,
  recallThresholds: readonly number[] = RECALL_THRESHOLDS,
): number {
  if (numGroundTruth <= 0) throw new RangeError('interpolatedAp: numGroundTruth must be positive');
  const n = tp.length;
  const recall = new Float64Array(n);
  const precision = new Float64Array(n);
  let tpSum = 0;
  let fpSum = 0;
  for (let i = 0; i < n; i++) {
    tpSum += tp[i]!;
    fpSum += fp[i]!;
    recall[i] = tpSum / numGroundTruth;
    precision[i] = tpSum + fpSum > 0 ? tpSum / (tpSum + fpSum) : 0;
  }
  for (let i = n - 1; i > 0; i--) {
    if (precision[i]! > precision[i - 1]!) precision[i - 1] = precision[i]!;
  }
  // Thresholds ascend and recall never decreases, so one sweep does numpy.searchsorted(side='left').
  let sum = 0;
  let i = 0;
  for (const r of recallThresholds) {
    while (i < n && recall[i]! < r) i++;
    if (i === n) break;
    sum += precision[i]!;
  }
  return sum / recallThresholds.length;
}
