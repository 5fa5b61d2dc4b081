import type { DetectionSplitData } from '../../data/detection-batches.js';
import { evaluateDetections, type EvaluationResult, type ImageEvaluationInput } from '../../metrics/index.js';
import type { Detector } from './detector.js';

/** COCO-style AP of a detector's predictions over a whole split (eval mode, batches of 32, read asynchronously for webgpu). */
export async function detectorAp(det: Detector, data: DetectionSplitData): Promise<EvaluationResult> {
  const images: ImageEvaluationInput[] = [];
  for (const batch of data.batches(32)) {
    (await det.predictAsync(batch)).forEach((detections, i) => images.push({ groundTruth: batch.objects[i] ?? [], detections }));
  }
  return evaluateDetections(images, { areaThresholds: data.areaThresholds });
}
