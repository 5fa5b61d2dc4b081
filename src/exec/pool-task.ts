import type { EvaluationRequest } from '../core/evaluator.js';
import type { ComponentConfig } from '../engine/config.js';

/** What a worker needs to build the run's evaluator: plain data, identical for every task of a run. */
export interface PoolSetup {
  readonly space: ComponentConfig;
  readonly evaluator: ComponentConfig;
  /** Plugin modules, loaded into each worker's registries after the built-ins. */
  readonly plugins: readonly string[];
  /** Directory that relative plugin paths are resolved against (the main thread's). */
  readonly cwd: string;
}

/** One task sent to a worker: the setup (a cache key there) and the request without its signal. */
export interface PoolTask {
  /** Names the task in the worker's "evaluation started" message. */
  readonly id: number;
  readonly setup: PoolSetup;
  readonly request: Omit<EvaluationRequest, 'signal'>;
}

/**
 * Key of the message a worker posts when its evaluator is ready and the evaluation begins: the trial
 * timeout counts from there, so a worker's one-time setup (loading a dataset) never times a trial out.
 */
export const STARTED = 'tsnasEvaluationStarted';

/** Key of the message a worker posts when it takes up a task: the setup timeout counts from there. */
export const RECEIVED = 'tsnasTaskReceived';

/** How a worker's setup failure begins, so the main thread tells it from the evaluator's own errors. */
export const SETUP_FAILED = 'worker setup failed: ';
