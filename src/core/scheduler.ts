import type { FidelitySpec } from './fidelity.js';
import type { JsonValue } from './json.js';
import type { OptionSpecs } from './options.js';
import type { Rng } from './rng.js';

/**
 * Multi-fidelity scheduling, apart from the strategy (as Syne Tune splits scheduler and searcher, and
 * Optuna pruners and samplers): the strategy still proposes every architecture; the scheduler decides,
 * each time an executor slot is free, whether to promote a paused trial to a higher rung or to start a
 * new one (the engine then asks the strategy), and at which resource. A trial runs one rung at a time;
 * each rung trains it further, from the state its previous rung left, up to the rung's resource.
 *
 * Feedback rule: the strategy is told a trial once, when its first rung finishes (so an asynchronous
 * search never waits for a trial's top rung); every later rung it finishes goes to `Strategy.update`
 * with the reward at that higher fidelity.
 */

/** What to run in a free executor slot. */
export type SchedulerDecision =
  /** Continue a paused trial up to `resource` (one of the levels above the one it reached). */
  | { readonly kind: 'promote'; readonly trial: number; readonly resource: number }
  /** Start a new trial (the engine asks the strategy) and train it up to `resource`. */
  | { readonly kind: 'start'; readonly resource: number }
  /** Nothing to run now. When nothing is running either, the search is over. */
  | { readonly kind: 'wait' };

/** A finished rung: the trial's reward at `resource`, or null when the evaluation failed (the trial ends). */
export interface RungOutcome {
  readonly trial: number;
  readonly resource: number;
  readonly reward: number | null;
}

export interface Scheduler {
  /** Rung levels, ascending; the last is the top fidelity: a trial that finishes it is complete. */
  readonly levels: readonly number[];
  /**
   * A slot is free: what to run in it. `canStart` is false when the budget lets no new trial start;
   * the scheduler should then promote what it still can, and answer `wait` when nothing is left.
   */
  next(canStart: boolean): SchedulerDecision;
  /**
   * The trial the engine started after a `start` decision, at that decision's resource. Not called when
   * the strategy's proposal was a duplicate answered from the cache (it runs nothing).
   */
  started(trial: number, resource: number): void;
  /** A rung of a started or promoted trial finished. */
  report(outcome: RungOutcome): void;
  /** Everything needed to continue exactly (the engine stores it with every rung); must be JSON. */
  state(): JsonValue;
  restore(state: JsonValue): void;
}

/** What a scheduler is built with. */
export interface SchedulerContext {
  /** The evaluator's resource axis; undefined when it has a single fidelity (a table lookup). */
  readonly fidelity: FidelitySpec | undefined;
  /** Name of the run's evaluator, for messages. */
  readonly evaluator: string;
  /** Seeded by the experiment, a stream of its own; its state belongs in `state()`. */
  readonly rng: Rng;
}

/** Registry entry: how a scheduler plugin makes instances. */
export interface SchedulerFactory {
  readonly name: string;
  readonly description: string;
  readonly options: OptionSpecs;
  /**
   * `options` are the user's raw options (validate them with `resolveOptions`). Null means no
   * multi-fidelity scheduling: every trial is evaluated once, at the evaluator's top fidelity.
   */
  create(context: SchedulerContext, options: Readonly<Record<string, unknown>>): Scheduler | null;
}
