import type { DigitDetectionDataset } from '../../data/index.js';
import { evaluateDetections, type EvaluationResult, type ImageEvaluationInput } from '../../metrics/index.js';
import { Detector, type DetectorConfig } from '../../model/detector.js';
import type { NasFpnGenotype } from '../../spaces/nasfpn/genotype.js';
import { adam } from '../../tensor/adam.js';
import { loadTrainState, removeTrainState, saveTrainState } from './train-state.js';

/**
 * One training run's recipe. The learning rate follows one schedule over `totalSteps` (warm-up, then
 * cosine decay), whatever step a rung stops at: a rung's result is a snapshot of that one run, so a
 * trial continued from a lower rung ends exactly where a run trained straight through would.
 */
export interface TrainSchedule {
  readonly totalSteps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Linear warm-up steps of the learning rate (focal-loss training is fragile at the start). */
  readonly warmupSteps: number;
}

export interface DetectionSplits {
  readonly train: DigitDetectionDataset;
  readonly val: DigitDetectionDataset;
  readonly test: DigitDetectionDataset;
}

export interface TrainRequest {
  readonly genotype: NasFpnGenotype;
  readonly config: DetectorConfig;
  readonly data: DetectionSplits;
  readonly schedule: TrainSchedule;
  readonly seed: number;
  /** Train up to this step (<= totalSteps). */
  readonly toStep: number;
  /** Identifies the run for its saved state: a state of another run is never continued. */
  readonly runKey: string;
  /** Where the run's state is kept between rungs; absent = from scratch, nothing kept. */
  readonly stateDir?: string;
  /** Called after every step; may throw to cancel. */
  readonly onProgress?: (step: number, loss: number) => void;
  /** Called with the trained detector after its evaluation, before it is disposed (export copies its weights). */
  readonly onTrained?: (det: Detector) => void;
}

/** Raised when training produced a non-finite or exploding loss: the trial fails with this reason. */
export class DivergenceError extends Error {}

/** A loss this large means the run has blown up (a healthy focal loss stays below ~10). */
const EXPLODED = 1e4;

export function learningRateAt(s: TrainSchedule, step: number): number {
  const warm = Math.min(1, (step + 1) / Math.max(1, s.warmupSteps));
  const cosine = 0.5 * (1 + Math.cos((Math.PI * step) / s.totalSteps));
  return s.learningRate * Math.min(warm, cosine);
}

function measureAp(det: Detector, data: DigitDetectionDataset): EvaluationResult {
  const images: ImageEvaluationInput[] = [];
  for (const batch of data.batches(32)) {
    det.predict(batch).forEach((detections, i) => images.push({ groundTruth: batch.objects[i] ?? [], detections }));
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
  if (!(r.toStep >= 1 && r.toStep <= s.totalSteps)) throw new RangeError(`cannot train to step ${r.toStep}: the schedule has ${s.totalSteps} steps`);
  const det = new Detector(r.genotype, r.config, r.seed);
  const optimizer = adam(s.learningRate);
  try {
    const saved = r.stateDir ? await loadTrainState(r.stateDir, r.runKey, det.params, optimizer) : null;
    const from = saved?.step ?? 0;
    if (from > r.toStep) throw new Error(`the saved state is at step ${from}, past the requested ${r.toStep}`);
    const perEpoch = Math.floor(r.data.train.length / s.batchSize);
    if (perEpoch === 0) throw new Error('the training split is smaller than one batch');
    const started = performance.now();
    const recent: number[] = saved?.recentLosses.slice() ?? [];
    let step = from;
    while (step < r.toStep) {
      const epoch = Math.floor(step / perEpoch);
      const batches = r.data.train.batches(s.batchSize, { shuffle: true, epoch: r.seed * 1000 + epoch, dropLast: true, fromBatch: step % perEpoch });
      for (const batch of batches) {
        (optimizer as unknown as { learningRate: number }).learningRate = learningRateAt(s, step);
        const { loss } = det.trainStep(optimizer, batch);
        if (!Number.isFinite(loss)) throw new DivergenceError(`training diverged: loss is ${loss} at step ${step + 1}`);
        if (loss > EXPLODED) throw new DivergenceError(`training diverged: loss ${loss.toExponential(2)} at step ${step + 1}`);
        recent.push(loss);
        if (recent.length > 20) recent.shift();
        step++;
        r.onProgress?.(step, loss);
        if (step >= r.toStep) break;
      }
    }
    const trainSeconds = (performance.now() - started) / 1000;
    if (r.stateDir) {
      // Nothing continues past the top fidelity: its run keeps no state (a stopped trial keeps its ~3 MB, to be promoted later).
      if (r.toStep < s.totalSteps) await saveTrainState(r.stateDir, r.runKey, { step, recentLosses: recent }, det.params, optimizer);
      else removeTrainState(r.stateDir);
    }
    const evalStarted = performance.now();
    const val = measureAp(det, r.data.val);
    const test = measureAp(det, r.data.test);
    const stepsRun = r.toStep - from;
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
      // The mean of the last (up to 20) steps' losses; NaN-free: a run that trained no step here reports 0.
      loss: recent.reduce((a, b) => a + b, 0) / Math.max(1, recent.length),
      params: det.size.params,
      flops: det.size.flops,
      neckFlops: det.size.neckFlops,
      steps: r.toStep,
      stepsRun,
      trainSeconds,
      evalSeconds: (performance.now() - evalStarted) / 1000,
      imagesPerSecond: stepsRun > 0 ? (stepsRun * s.batchSize) / trainSeconds : 0,
    };
  } finally {
    det.dispose();
    optimizer.dispose();
  }
}
