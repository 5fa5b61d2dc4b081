import type { JsonValue } from './json.js';
import type { OptionSpecs } from './options.js';
import type { Rng } from './rng.js';
import type { DecisionSpace } from './space.js';

/** A candidate proposed by a strategy: one choice per decision, plus private data it wants back. */
export interface Proposal {
  readonly choices: number[];
  /** Returned untouched in the matching Feedback (e.g. the parent's id, or sampling log-probabilities). */
  readonly info?: JsonValue;
}

/** The outcome of one proposal. `reward` is null when the evaluation failed. */
export interface Feedback {
  readonly trial: number;
  readonly choices: number[];
  readonly reward: number | null;
  /** `cached`: the genotype was evaluated before and this reward is the stored one. */
  readonly status: 'complete' | 'failed' | 'cached';
  readonly info?: JsonValue;
  /** Multi-fidelity searches: the resource (rung) the reward was measured at. */
  readonly resource?: number;
}

/**
 * A search strategy in the ask/tell style of PyGlove's propose/feedback: it sees decisions and rewards,
 * never genotypes or tensors. Several asks may be outstanding before their tells arrive (parallel
 * evaluation), and tells may arrive in any order.
 */
export interface Strategy {
  /** Proposes `count` candidates (count >= 1). */
  ask(count: number): Proposal[] | Promise<Proposal[]>;
  tell(feedback: Feedback): void | Promise<void>;
  /**
   * Multi-fidelity searches (see core/scheduler.ts): `tell` comes once per trial, when its first rung
   * finishes; each later rung it finishes comes here, with the reward at that higher `resource` (null:
   * the longer training failed). A strategy that keeps rewards should replace the trial's stored one, so
   * that it ranks each trial by the highest fidelity it reached. Optional: others may ignore it.
   */
  update?(feedback: Feedback): void | Promise<void>;
  /** Everything needed to continue exactly (including the RNG); must be JSON. */
  state(): JsonValue;
  restore(state: JsonValue): void;
  /** Frees resources (e.g. tensors). */
  dispose?(): void;
}

/** What a strategy is built with. `rng` is seeded by the experiment; its state belongs in `state()`. */
export interface StrategyContext {
  readonly space: DecisionSpace;
  readonly rng: Rng;
  readonly seed: number;
}

/** Registry entry: how a strategy plugin makes instances. */
export interface StrategyFactory<O extends Record<string, unknown> = Record<string, unknown>> {
  readonly name: string;
  readonly description: string;
  readonly options: OptionSpecs;
  /** `options` are the user's raw options: validate them with `resolveOptions(name, this.options, options)`. */
  create(context: StrategyContext, options: Readonly<O>): Strategy | Promise<Strategy>;
}
