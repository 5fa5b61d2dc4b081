import type { ClassificationData } from '../../core/dataset.js';
import { NasNetClassifier, type NasNetNetConfig } from '../../tasks/classification/nasnet-classifier.js';
import { classificationBatches, type ClassificationBatch } from '../../data/classification-batches.js';
import type { NasNetGenotype } from '../../spaces/nasnet/genotype.js';
import { splitAccuracy } from '../../tasks/classification/split-accuracy.js';
import { runCostMetrics, runTraining, type RunRequest } from '../../train/trainer.js';

/** How many examples of each split a run uses (the first ones of the dataset's order). */
export interface SplitCounts {
  readonly train: number;
  readonly val: number;
  readonly test: number;
}

export interface ClassifierTrainRequest extends RunRequest {
  readonly genotype: NasNetGenotype;
  readonly config: NasNetNetConfig;
  readonly data: ClassificationData;
  readonly counts: SplitCounts;
  /** Called with the trained classifier after its evaluation, before it is disposed (export copies its weights). */
  readonly onTrained?: (net: NasNetClassifier) => void;
}

/** Cross-entropy far above ln(classes) means the run has blown up. */
const EXPLODED = 1e3;

/**
 * Trains one classifier up to `toStep` (continuing a saved lower rung), keeps its state for a higher
 * rung, and measures top-1 accuracy on the validation split (the reward) and the test split (reported).
 */
export async function trainClassifier(r: ClassifierTrainRequest): Promise<Record<string, number>> {
  const s = r.schedule;
  const net = new NasNetClassifier(r.genotype, r.config, r.seed);
  try {
    if (r.counts.train < s.batchSize) throw new Error(`the training split (${r.counts.train} images) is smaller than one batch (${s.batchSize})`);
    const run = await runTraining({
      ...r,
      params: net.params,
      perEpoch: Math.floor(r.counts.train / s.batchSize),
      epochBatches: (epoch, fromBatch) => classificationBatches(r.data, 'train', s.batchSize, { count: r.counts.train, shuffleSeed: r.seed * 1000 + epoch, dropLast: true, fromBatch }),
      step: (batch, optimizer) => net.trainStep(optimizer, batch),
      exploded: EXPLODED,
    });
    const evalStarted = performance.now();
    const predict = (batch: ClassificationBatch) => net.predict(batch);
    const valAcc = splitAccuracy(r.data, 'val', r.counts.val, predict);
    const testAcc = splitAccuracy(r.data, 'test', r.counts.test, predict);
    r.onTrained?.(net);
    return {
      val_acc: valAcc,
      test_acc: testAcc,
      loss: run.loss,
      params: net.size.params,
      flops: net.size.flops,
      ...runCostMetrics(run, r.toStep, s.batchSize, (performance.now() - evalStarted) / 1000),
    };
  } finally {
    net.dispose();
  }
}
