import type { ClassificationData, DataSplit } from '../../core/dataset.js';
import { NasNetClassifier, type NasNetNetConfig } from '../../architectures/nasnet/network.js';
import { classificationBatches } from '../../data/classification-batches.js';
import type { NasNetGenotype } from '../../spaces/nasnet/genotype.js';
import { adam } from '../../tensor/adam.js';
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

/** Top-1 accuracy in percent over the first `count` examples of a split. */
function accuracy(net: NasNetClassifier, data: ClassificationData, split: DataSplit, count: number): number {
  let right = 0;
  let seen = 0;
  for (const b of classificationBatches(data, split, 100, { count })) {
    const pred = net.predict(b);
    pred.forEach((p, i) => (right += p === b.labels[i] ? 1 : 0));
    seen += pred.length;
  }
  return seen === 0 ? 0 : (100 * right) / seen;
}

/**
 * Trains one classifier up to `toStep` (continuing a saved lower rung), keeps its state for a higher
 * rung, and measures top-1 accuracy on the validation split (the reward) and the test split (reported).
 */
export async function trainClassifier(r: ClassifierTrainRequest): Promise<Record<string, number>> {
  const s = r.schedule;
  const net = new NasNetClassifier(r.genotype, r.config, r.seed);
  const optimizer = adam(s.learningRate);
  try {
    if (r.counts.train < s.batchSize) throw new Error(`the training split (${r.counts.train} images) is smaller than one batch (${s.batchSize})`);
    const run = await runTraining({
      params: net.params,
      optimizer,
      schedule: s,
      toStep: r.toStep,
      runKey: r.runKey,
      ...(r.stateDir ? { stateDir: r.stateDir } : {}),
      perEpoch: Math.floor(r.counts.train / s.batchSize),
      epochBatches: (epoch, fromBatch) => classificationBatches(r.data, 'train', s.batchSize, { count: r.counts.train, shuffleSeed: r.seed * 1000 + epoch, dropLast: true, fromBatch }),
      step: (batch) => net.trainStep(optimizer, batch),
      exploded: EXPLODED,
      ...(r.onProgress ? { onProgress: r.onProgress } : {}),
    });
    const evalStarted = performance.now();
    const valAcc = accuracy(net, r.data, 'val', r.counts.val);
    const testAcc = accuracy(net, r.data, 'test', r.counts.test);
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
    optimizer.dispose();
  }
}
