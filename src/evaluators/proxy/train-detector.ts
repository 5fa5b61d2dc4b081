import type { DetectionSplitData } from '../../data/detection-batches.js';
import { detectorAp } from '../../tasks/detection/detector-ap.js';
import { Detector, type DetectorConfig } from '../../tasks/detection/detector.js';
import type { NasFpnGenotype } from '../../spaces/nasfpn/genotype.js';
import { runCostMetrics, runTraining, type RunRequest } from '../../train/trainer.js';

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

/**
 * Trains one detector up to `toStep` (continuing from the state in `stateDir` when there is one),
 * saves its state for a later rung, then measures COCO-style AP on the validation split (the reward)
 * and on the test split (what comparisons report; a search never sees it).
 */
export async function trainAndEvaluate(r: TrainRequest): Promise<Record<string, number>> {
  const s = r.schedule;
  const det = new Detector(r.genotype, r.config, r.seed);
  try {
    const run = await runTraining({
      ...r,
      params: det.params,
      perEpoch: Math.floor(r.data.train.length / s.batchSize),
      epochBatches: (epoch, fromBatch) => r.data.train.batches(s.batchSize, { shuffle: true, epoch: r.seed * 1000 + epoch, dropLast: true, fromBatch }),
      // Read asynchronously: webgpu in Node can read no other way, and on wasm it costs one await a step.
      step: async (batch, optimizer) => (await det.trainStepAsync(optimizer, batch)).loss,
      exploded: EXPLODED,
    });
    const evalStarted = performance.now();
    const val = await detectorAp(det, r.data.val);
    const test = await detectorAp(det, r.data.test);
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
  }
}
