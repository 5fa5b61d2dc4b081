// COCO-style detection evaluation over plain boxes (no tensors).
export type {
  AreaThresholds,
  Box,
  Detection,
  EvaluationOptions,
  EvaluationResult,
  GroundTruth,
  ImageEvaluationInput,
} from './types.js';
export { boxArea, boxIou } from './box.js';
export {
  areaRange,
  COCO_AREA_THRESHOLDS,
  COCO_IOU_THRESHOLDS,
  RECALL_THRESHOLDS,
  SIZE_BUCKETS,
  sizeBucket,
  type SizeBucket,
} from './thresholds.js';
export { interpolatedAp } from './interpolated-ap.js';
export { matchImageClass, type ImageClassMatch } from './match.js';
export { evaluateDetections } from './coco-eval.js';
