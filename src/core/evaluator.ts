import type { FidelityRequest, FidelitySpec } from './fidelity.js';
import type { OptionSpecs } from './options.js';
import type { SearchSpace } from './space.js';

/** What an evaluation returns: a flat record of finite numbers (accuracies, params, FLOPs, seconds, ...). */
export type Metrics = Record<string, number>;

export interface EvaluationRequest<G = unknown> {
  readonly trial: number;
  readonly genotype: G;
  /** The genotype's canonical string. */
  readonly key: string;
  /** Seed for anything random in the evaluation (data order, initialisation). */
  readonly seed: number;
  readonly signal?: AbortSignal;
  /** Multi-fidelity: how far to train (and where to continue from). Absent: the evaluator's top fidelity. */
  readonly fidelity?: FidelityRequest;
}

/** Turns a genotype into metrics. May throw: the engine records the trial as failed with the message. */
export interface Evaluator<G = unknown> {
  /** Names of the metrics `evaluate` returns (checked, and offered to reward expressions). */
  readonly metrics: readonly string[];
  /** Default reward: the metric a search maximises unless the config gives an expression. */
  readonly primaryMetric: string;
  /**
   * Metric reported for the architecture a search returns (e.g. test accuracy while the reward is the
   * validation accuracy, as the NAS literature does). Defaults to the primary metric.
   */
  readonly reportMetric?: string;
  /** The resource a multi-fidelity scheduler may allocate; absent for evaluators with one fidelity. */
  readonly fidelity?: FidelitySpec;
  /**
   * The highest value `metric` takes over the whole space, where the evaluator knows it (a tabular
   * benchmark does); undefined where it does not. Benchmarks report regret against it, so give it
   * only for metrics where higher is better.
   */
  optimum?(metric: string): number | undefined;
  evaluate(request: EvaluationRequest<G>): Promise<Metrics>;
  close?(): void | Promise<void>;
}

export interface EvaluatorFactory {
  readonly name: string;
  readonly description: string;
  /** Space ids this evaluator understands; absent = any. */
  readonly spaces?: readonly string[];
  readonly options: OptionSpecs;
  create(options: Readonly<Record<string, unknown>>, space: SearchSpace): Evaluator | Promise<Evaluator>;
}

/** Space factories live with the space contract; re-exported here for plugins written against this module. */
export type { SpaceFactory } from './space.js';
