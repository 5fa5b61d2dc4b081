import { ConfigError } from '../core/errors.js';

/** Budget and bookkeeping of one search run. */
export interface EngineOptions {
  /** Seed of the experiment: strategies are seeded with it and each trial's seed derives from it. */
  readonly seed: number;
  /** Stop after this many evaluations (trials answered from the cache do not count). */
  readonly maxEvaluations: number;
  /** Stop starting new trials after this many seconds of search time (summed over resumes). */
  readonly maxSeconds: number;
  /** Stop after this many trials including cached duplicates: guards against a strategy that only repeats itself. */
  readonly maxTrials: number;
  /** Checkpoint the strategy every N feedbacks (0: only at the end). Resume replays stored trials after it. */
  readonly checkpointEvery: number;
  /**
   * On the stop signal, cancel the trials in flight (the executor gets the signal) instead of letting
   * them finish. Cancelled trials stay `running` in the store, so a resume evaluates them again.
   */
  readonly cancelOnStop: boolean;
}

export function engineOptions(partial: Partial<EngineOptions> & { seed: number }): EngineOptions {
  const o: EngineOptions = {
    maxEvaluations: Infinity,
    maxSeconds: Infinity,
    checkpointEvery: 1,
    cancelOnStop: false,
    ...partial,
    maxTrials: partial.maxTrials ?? (Number.isFinite(partial.maxEvaluations ?? Infinity) ? 10 * (partial.maxEvaluations as number) : Infinity),
  };
  if (!Number.isInteger(o.seed)) throw new ConfigError('seed', `must be an integer, got ${o.seed}`);
  for (const key of ['maxEvaluations', 'maxSeconds', 'maxTrials', 'checkpointEvery'] as const) {
    if (!(o[key] >= 0)) throw new ConfigError(key, `must be >= 0, got ${o[key]}`);
  }
  if (!Number.isFinite(o.maxEvaluations) && !Number.isFinite(o.maxSeconds) && !Number.isFinite(o.maxTrials)) {
    throw new ConfigError('budget', 'give a budget in evaluations and/or seconds');
  }
  return o;
}
