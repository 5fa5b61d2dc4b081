import type { DigitDetectionDataset } from '../../data/index.js';
import { evaluateDetections, type ImageEvaluationInput } from '../../metrics/index.js';
import { Detector, type DetectorConfig } from '../../model/detector.js';
import type { NasFpnGenotype } from '../../spaces/nasfpn/genotype.js';
import { adam } from '../../tensor/adam.js';

export interface TrainBudget {
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Linear warm-up steps of the learning rate (focal-loss training is fragile at the start). */
  readonly warmupSteps: number;
}

export interface TrainOutcome {
  readonly metrics: Record<string, number>;
}

/** Raised when training produced a non-finite or exploding loss: the trial fails with this reason. */
export class DivergenceError extends Error {}

/** A loss this large means the run has blown up (a healthy focal loss stays below ~10). */
const EXPLODED = 1e4;

/**
 * Trains one detector from scratch for a fixed number of steps (Adam, warm-up then cosine decay),
 * then measures COCO-style AP on the validation split. `onProgress(step)` may throw to cancel.
 */
export function trainAndEvaluate(
  genotype: NasFpnGenotype,
  config: DetectorConfig,
  data: { train: DigitDetectionDataset; val: DigitDetectionDataset },
  budget: TrainBudget,
  seed: number,
  onProgress?: (step: number, loss: number) => void,
): TrainOutcome {
  const det = new Detector(genotype, config, seed);
  const optimizer = adam(budget.learningRate);
  const started = performance.now();
  const recent: number[] = [];
  try {
    let step = 0;
    for (let epoch = 0; step < budget.steps; epoch++) {
      for (const batch of data.train.batches(budget.batchSize, { shuffle: true, epoch: seed * 1000 + epoch, dropLast: true })) {
        const warm = Math.min(1, (step + 1) / Math.max(1, budget.warmupSteps));
        const cosine = 0.5 * (1 + Math.cos((Math.PI * step) / budget.steps));
        (optimizer as unknown as { learningRate: number }).learningRate = budget.learningRate * Math.min(warm, cosine);
        const { loss } = det.trainStep(optimizer, batch);
        if (!Number.isFinite(loss)) throw new DivergenceError(`training diverged: loss is ${loss} at step ${step + 1}`);
        if (loss > EXPLODED) throw new DivergenceError(`training diverged: loss ${loss.toExponential(2)} at step ${step + 1}`);
        recent.push(loss);
        if (recent.length > 20) recent.shift();
        step++;
        onProgress?.(step, loss);
        if (step >= budget.steps) break;
      }
      if (step === 0) throw new Error('the training split is smaller than one batch');
    }
    const trainSeconds = (performance.now() - started) / 1000;
    const evalStarted = performance.now();
    const images: ImageEvaluationInput[] = [];
    for (const batch of data.val.batches(32)) {
      det.predict(batch).forEach((detections, i) => images.push({ groundTruth: batch.objects[i] ?? [], detections }));
    }
    const r = evaluateDetections(images, { areaThresholds: data.val.areaThresholds });
    const trainImages = budget.steps * budget.batchSize;
    return {
      metrics: {
        ap: r.ap,
        ap50: r.ap50,
        ap75: r.ap75,
        apS: r.apS,
        apM: r.apM,
        apL: r.apL,
        loss: recent.reduce((a, b) => a + b, 0) / Math.max(1, recent.length),
        params: det.size.params,
        flops: det.size.flops,
        neckFlops: det.size.neckFlops,
        trainSeconds,
        evalSeconds: (performance.now() - evalStarted) / 1000,
        imagesPerSecond: trainImages / trainSeconds,
      },
    };
  } finally {
    det.dispose();
    optimizer.dispose();
  }
}
