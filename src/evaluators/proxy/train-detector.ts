import type { DetectionSplitData } from '../../data/detection-batches.js';
import { evaluateDetections, type EvaluationResult, type ImageEvaluationInput } from '../../metrics/index.js';
import { Detector, type DetectorConfig } from '../../model/detector.js';
import type { NasFpnGenotype } from '../../spaces/nasfpn/genotype.js';
import { adam } from '../../tensor/adam.js';
import { runCostMetrics, runTraining, type RunRequest } from '../../train/trainer.js';

export { DivergenceError, learningRateAt, type TrainSchedule } from '../../train/trainer.js';

export interface DetectionSplits {
  readonly train: DetectionSplitData;
  readonly val: DetectionSplitData;
  readonly test: DetectionSplitData;
}

export interface TrainRequest extends RunRequest {
  readonly genotype: NasFpnGenotype;
  readonly config: DetectorConfig;
  readonly data: DetectionSplits;
  /** Called with the trained detector after its evaluation, before it is disposed (export copies its weights). */
  readonly onTrained?: (det: Detector) => void;
}

/** A loss this large means the run has blown up (a healthy focal loss stays below ~10). */
const EXPLODED = 1e4;

async function measureAp(det: Detector, data: DetectionSplitData): Promise<EvaluationResult> {
  const images: ImageEvaluationInput[] = [];
  for (const batch of data.batches(32)) {
    (await det.predictAsync(batch)).forEach((detections, i) => images.push({ groundTruth: batch.objects[i] ?? [], detections }));
  }
  return evaluateDetections(images, { areaThresholds: data.areaThresholds });
}

/**
 * Trains one detector up to `toStep` (continuing from the state in `stateDir` when there is one),
 * saves its state for a later rung, then measures COCO-style AP on the validation split (the reward)
 * and on the test split (what comparisons report; a search never sees it).
 */
export async function trainAndEvaluate(r: TrainRequest): Promise<Record<string, number>> {
  const s = r.schedule;
  const det = new Detector(r.genotype, r.config, r.seed);
  const optimizer = adam(s.learningRate);
  try {
    const run = await runTraining({
      params: det.params,
      optimizer,
      schedule: s,
      toStep: r.toStep,
      runKey: r.runKey,
      ...(r.stateDir ? { stateDir: r.stateDir } : {}),
      perEpoch: Math.floor(r.data.train.length / s.batchSize),
      epochBatches: (epoch, fromBatch) => r.data.train.batches(s.batchSize, { shuffle: true, epoch: r.seed * 1000 + epoch, dropLast: true, fromBatch }),
      // Read asynchronously: webgpu in Node can read no other way, and on wasm it costs one await a step.
      step: async (batch) => (await det.trainStepAsync(optimizer, batch)).loss,
      exploded: EXPLODED,
      ...(r.onProgress ? { onProgress: r.onProgress } : {}),
    });
    const evalStarted = performance.now();
    const val = await measureAp(det, r.data.val);
    const test = await measureAp(det, r.data.test);
    r.onTrained?.(det);
    return {
      ap: val.ap,
      ap50: val.ap50,
      ap75: val.ap75,
      apS: val.apS,
      apM: val.apM,
      apL: val.apL,
      test_ap: test.ap,
      test_ap50: test.ap50,
      loss: run.loss,
      params: det.size.params,
      flops: det.size.flops,
      neckFlops: det.size.neckFlops,
      ...runCostMetrics(run, r.toStep, s.batchSize, (performance.now() - evalStarted) / 1000),
    };
  } finally {
    det.dispose();
    optimizer.dispose();
  }
}
