// Greedy matching of one image's detections of one class to its ground truth, per IoU threshold,
// following pycocotools' evaluateImg (including how out-of-range objects are ignored).

/** Detections of one image and class, flagged per IoU threshold. */
export interface ImageClassMatch {
  /** Scores in the order of the flag arrays (descending, ties in input order). */
  readonly scores: Float64Array;
  /** tp[t * D + d] = 1 when detection d matched a counted ground truth at threshold t. */
  readonly tp: Uint8Array;
  /** fp[t * D + d] = 1 when detection d is unmatched and not ignored at threshold t. */
  readonly fp: Uint8Array;
  /** Ground truths inside the area range (the recall denominator). */
  readonly numGroundTruth: number;
}

/**
 * `iou[d * G + g]` holds IoU(detection d, ground truth g); detections are already sorted by score.
 * A ground truth outside `[lo, hi]` is ignored: a detection matching it is neither TP nor FP. A
 * detection prefers the unmatched counted ground truth of highest IoU (>= threshold) and falls back to
 * an ignored one only when none qualifies. An unmatched detection outside the range is ignored too,
 * so apS is not charged for false positives on large objects.
 */
export function matchImageClass(
  scores: Float64Array,
  detAreas: Float64Array,
  gtAreas: Float64Array,
  iou: Float64Array,
  range: readonly [number, number],
  iouThresholds: readonly number[],
): ImageClassMatch {
  const D = scores.length;
  const G = gtAreas.length;
  const [lo, hi] = range;
  const outside = (a: number): boolean => a < lo || a > hi;
  // Visit counted ground truths before ignored ones, so the early exit below is valid.
  const order = Array.from({ length: G }, (_, g) => g);
  const gtIgnored = order.map((g) => outside(gtAreas[g]!));
  order.sort((a, b) => Number(gtIgnored[a]) - Number(gtIgnored[b]));
  const numGroundTruth = gtIgnored.filter((ig) => !ig).length;

  // One flat array per flag: many tiny typed arrays cost more in allocation than the matching itself.
  const tp = new Uint8Array(iouThresholds.length * D);
  const fp = new Uint8Array(iouThresholds.length * D);
  const gtTaken = new Uint8Array(G);
  iouThresholds.forEach((threshold, t) => {
    gtTaken.fill(0);
    for (let d = 0; d < D; d++) {
      let best = Math.min(threshold, 1 - 1e-10);
      let m = -1;
      for (const g of order) {
        if (gtTaken[g]) continue;
        if (m > -1 && !gtIgnored[m] && gtIgnored[g]) break;
        const v = iou[d * G + g]!;
        if (v < best) continue;
        best = v;
        m = g;
      }
      if (m > -1) {
        gtTaken[m] = 1;
        if (!gtIgnored[m]) tp[t * D + d] = 1;
      } else if (!outside(detAreas[d]!)) {
        fp[t * D + d] = 1;
      }
    }
  });
  return { scores, tp, fp, numGroundTruth };
}
