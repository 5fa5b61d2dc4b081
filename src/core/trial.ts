import type { JsonValue } from './json.js';
import type { Metrics } from './evaluator.js';

/**
 * running: evaluation in progress (or interrupted; a resume evaluates it again).
 * complete / failed: evaluated. cached: a duplicate genotype, answered from an earlier trial.
 * stopped (multi-fidelity): evaluated up to `resource`, below the top rung, and not promoted (yet: the
 * scheduler may still promote it while the search runs, or when a resume extends the budget).
 */
export type TrialStatus = 'running' | 'complete' | 'failed' | 'cached' | 'stopped';

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
  /**
   * Multi-fidelity searches: the resource of the highest rung the trial finished (its metrics and reward
   * are that rung's). Absent for single-fidelity trials and for trials whose first rung has not finished.
   */
  readonly resource?: number;
}

/**
 * Whether a stored trial was an evaluation (counts against the budget): not one answered from the cache,
 * nor a duplicate that waited for the same architecture in flight (`cachedFrom` names that trial).
 */
export const countsAsEvaluation = (t: TrialRecord): boolean => t.status !== 'cached' && t.cachedFrom === null;

/** One finished rung of a multi-fidelity trial. */
export interface RungRecord {
  readonly trial: number;
  /** Cumulative resource the trial was trained to. */
  readonly resource: number;
  /** Null when the rung failed (then `error` says why). */
  readonly metrics: Metrics | null;
  readonly reward: number | null;
  readonly error: string | null;
  /** Epoch milliseconds. */
  readonly finishedAt: number;
}

/**
 * One retraining of a top candidate after the search (top-k re-evaluation): at the top fidelity with a
 * seed of its own, so candidates are ranked by a mean over seeds rather than by one lucky run.
 */
export interface ReevaluationRecord {
  /** The candidate's trial number. */
  readonly trial: number;
  readonly seed: number;
  /** Null when the run failed (then `error` says why). */
  readonly metrics: Metrics | null;
  readonly reward: number | null;
  readonly error: string | null;
  readonly finishedAt: number;
}

/** The engine's own resumable state, stored with the strategy's. */
export interface EngineCheckpoint {
  readonly strategy: JsonValue;
  /** Number the next asked trial gets. */
  readonly nextTrial: number;
  /** Trials asked before this checkpoint whose feedback the strategy has not received yet. */
  readonly pending: number[];
  readonly elapsedMs: number;
  /** Multi-fidelity searches: the scheduler's state. */
  readonly scheduler?: JsonValue;
  /** Multi-fidelity searches: the rungs in flight (a resume runs them again, from the trial's saved state). */
  readonly running?: { readonly trial: number; readonly resource: number }[];
}
