import type { ParamStore } from '../nn/params.js';
import { adam, type FusedAdamOptimizer } from '../tensor/adam.js';
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

/** Raised when training produced a non-finite or exploding loss: the trial fails with this reason. */
export class DivergenceError extends Error {}

export function learningRateAt(s: TrainSchedule, step: number): number {
  const warm = Math.min(1, (step + 1) / Math.max(1, s.warmupSteps));
  const cosine = 0.5 * (1 + Math.cos((Math.PI * step) / s.totalSteps));
  return s.learningRate * Math.min(warm, cosine);
}

/**
 * What every proxy passes its trainer from an evaluation request: the rung's state folder, and a
 * progress hook that ends the run when the trial is cancelled.
 */
export function requestHooks(request: {
  readonly fidelity?: { readonly stateDir?: string };
  readonly signal?: AbortSignal;
}): Pick<RunRequest, 'stateDir' | 'onProgress'> {
  return {
    ...(request.fidelity?.stateDir ? { stateDir: request.fidelity.stateDir } : {}),
    onProgress: () => {
      if (request.signal?.aborted) throw new Error('trial cancelled');
    },
  };
}

/** What a proxy's training request has whatever it trains: the recipe, the seed, how far, where its state lives. */
export interface RunRequest {
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
}

/** What a proxy gives the loop: its network's parameters, its batches and its step, with the run's request. */
export interface TrainLoop<B> extends Omit<RunRequest, 'seed'> {
  readonly params: ParamStore;
  /** Full batches per epoch. */
  readonly perEpoch: number;
  /** The batches of `epoch` from batch `fromBatch` on, in the run's seeded order. */
  epochBatches(epoch: number, fromBatch: number): Iterable<B>;
  /**
   * One step of `optimizer` (the loop's Adam, its learning rate set for the step) on a batch; returns
   * its loss (a promise where the backend reads asynchronously: webgpu).
   */
  step(batch: B, optimizer: FusedAdamOptimizer): number | Promise<number>;
  /** A loss above this is a blown-up run. */
  readonly exploded: number;
}

export interface TrainOutcome {
  /** The step the run continued from (0: from scratch). */
  readonly from: number;
  /** The mean of the last (up to 20) steps' losses; 0 when none ran. */
  readonly loss: number;
  readonly trainSeconds: number;
}

/**
 * The one training loop of the proxies: Adam on the network's trainable parameters, continuing the
 * state saved by a lower rung, steps through seeded epochs with the schedule's learning rate, fails on
 * divergence, and saves the state for a higher rung (a run at the top fidelity keeps none: nothing
 * continues past it).
 */
export async function runTraining<B>(r: TrainLoop<B>): Promise<TrainOutcome> {
  const s = r.schedule;
  if (!(r.toStep >= 1 && r.toStep <= s.totalSteps)) throw new RangeError(`cannot train to step ${r.toStep}: the schedule has ${s.totalSteps} steps`);
  if (r.perEpoch === 0) throw new Error('the training split is smaller than one batch');
  const optimizer = adam(s.learningRate);
  try {
    return await trainWith(r, optimizer);
  } finally {
    optimizer.dispose();
  }
}

async function trainWith<B>(r: TrainLoop<B>, optimizer: FusedAdamOptimizer): Promise<TrainOutcome> {
  const s = r.schedule;
  const saved = r.stateDir ? await loadTrainState(r.stateDir, r.runKey, r.params, optimizer) : null;
  const from = saved?.step ?? 0;
  if (from > r.toStep) throw new Error(`the saved state is at step ${from}, past the requested ${r.toStep}`);
  const started = performance.now();
  const recent: number[] = saved?.recentLosses.slice() ?? [];
  let step = from;
  while (step < r.toStep) {
    for (const batch of r.epochBatches(Math.floor(step / r.perEpoch), step % r.perEpoch)) {
      (optimizer as unknown as { learningRate: number }).learningRate = learningRateAt(s, step);
      const loss = await r.step(batch, optimizer);
      if (!Number.isFinite(loss)) throw new DivergenceError(`training diverged: loss is ${loss} at step ${step + 1}`);
      if (loss > r.exploded) throw new DivergenceError(`training diverged: loss ${loss.toExponential(2)} at step ${step + 1}`);
      recent.push(loss);
      if (recent.length > 20) recent.shift();
      step++;
      r.onProgress?.(step, loss);
      if (step >= r.toStep) break;
    }
  }
  const trainSeconds = (performance.now() - started) / 1000;
  if (r.stateDir) {
    if (r.toStep < s.totalSteps) await saveTrainState(r.stateDir, r.runKey, { step, recentLosses: recent }, r.params, optimizer);
    else removeTrainState(r.stateDir);
  }
  return { from, loss: recent.reduce((a, b) => a + b, 0) / Math.max(1, recent.length), trainSeconds };
}

/** What every proxy reports of a run's cost: steps in all and here, seconds, throughput. */
export function runCostMetrics(o: TrainOutcome, toStep: number, batchSize: number, evalSeconds: number): Record<string, number> {
  const stepsRun = toStep - o.from;
  return { steps: toStep, stepsRun, trainSeconds: o.trainSeconds, evalSeconds, imagesPerSecond: stepsRun > 0 ? (stepsRun * batchSize) / o.trainSeconds : 0 };
}
