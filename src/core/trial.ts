import type { JsonValue } from './json.js';
import type { Metrics } from './evaluator.js';

/**
 * running: evaluation in progress (or interrupted; a resume evaluates it again).
 * complete / failed: evaluated. cached: a duplicate genotype, answered from an earlier trial.
 */
export type TrialStatus = 'running' | 'complete' | 'failed' | 'cached';

export interface TrialRecord {
  /** 0-based position in the experiment's trial sequence. */
  readonly number: number;
  readonly status: TrialStatus;
  readonly choices: number[];
  readonly genotype: JsonValue;
  /** Canonical string of the genotype. */
  readonly key: string;
  readonly metrics: Metrics | null;
  readonly reward: number | null;
  readonly seed: number;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly finishedAt: number | null;
  readonly error: string | null;
  /** For cached trials: the trial whose result was reused. */
  readonly cachedFrom: number | null;
  /** Strategy data of the proposal (returned in its feedback on resume). */
  readonly info: JsonValue | null;
}

/** The engine's own resumable state, stored with the strategy's. */
export interface EngineCheckpoint {
  readonly strategy: JsonValue;
  /** Number the next asked trial gets. */
  readonly nextTrial: number;
  /** Trials asked before this checkpoint whose feedback the strategy has not received yet. */
  readonly pending: number[];
  readonly elapsedMs: number;
}
