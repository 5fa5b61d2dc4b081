// Plain-data shapes for detection evaluation: no tensors, so any model or data source can feed it.

/** Box corners in pixel-edge coordinates: a box covering columns 3..5 is [3, y1, 6, y2]; area = w * h. */
export type Box = readonly [x1: number, y1: number, x2: number, y2: number];

export interface GroundTruth {
  readonly box: Box;
  readonly label: number;
}

export interface Detection {
  readonly box: Box;
  readonly label: number;
  readonly score: number;
}

/** One image's annotations and the model's detections for it. */
export interface ImageEvaluationInput {
  readonly groundTruth: readonly GroundTruth[];
  readonly detections: readonly Detection[];
}

/**
 * Upper area bounds (in px^2) of the `small` and `medium` buckets; `large` is everything above `medium`.
 * Bounds are inclusive on both sides as in pycocotools, so an object of area exactly `small` is in both
 * the small and the medium range.
 */
export interface AreaThresholds {
  readonly small: number;
  readonly medium: number;
}

export interface EvaluationOptions {
  /** IoU thresholds; default 0.50:0.05:0.95 (10 values). */
  readonly iouThresholds?: readonly number[];
  /** Detections kept per image, highest scores first; default 100. */
  readonly maxDetections?: number;
  /**
   * 'image' (default): keep the top `maxDetections` of an image over all classes, which is what a
   * detector's post-processing emits. 'class': per image and class, exactly as pycocotools does.
   * The two agree whenever no image has more than `maxDetections` detections.
   */
  readonly maxDetectionsScope?: 'image' | 'class';
  /** Size buckets for apS/apM/apL; default COCO's 32^2 / 96^2 (see COCO_AREA_THRESHOLDS). */
  readonly areaThresholds?: AreaThresholds;
}

/**
 * Every AP is in [0, 1], or -1 where it is undefined (no ground truth in that class / size range, or a
 * requested IoU threshold not evaluated), as pycocotools reports it. Never NaN.
 */
export interface EvaluationResult {
  /** AP averaged over IoU thresholds, recall points and classes with ground truth (COCO "AP"). */
  readonly ap: number;
  readonly ap50: number;
  readonly ap75: number;
  readonly apS: number;
  readonly apM: number;
  readonly apL: number;
  /** AP at each IoU threshold (all sizes), in the order of `iouThresholds`. */
  readonly apPerIou: readonly number[];
  /** Per-class AP (all sizes, averaged over IoU thresholds), only for classes that have ground truth. */
  readonly perClass: ReadonlyMap<number, number>;
  readonly iouThresholds: readonly number[];
  readonly areaThresholds: AreaThresholds;
  readonly numImages: number;
  readonly numGroundTruth: number;
  /** Detections that took part, after the per-image cap. */
  readonly numDetections: number;
}
