import type { EvaluationRequest, Metrics } from './evaluator.js';

/** Runs evaluations: in the main thread (inline) or in worker threads. */
export interface Executor {
  /** How many evaluations it runs at once. */
  readonly capacity: number;
  run(request: EvaluationRequest): Promise<Metrics>;
  close(): Promise<void>;
}
