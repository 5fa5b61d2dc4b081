import type { EvaluationRequest, Metrics } from './evaluator.js';

/** Runs evaluations: in the main thread (inline), in worker threads, or on other machines (queue). */
export interface Executor {
  /** How many evaluations it runs at once (may change: a queue's workers come and go). */
  readonly capacity: number;
  run(request: EvaluationRequest): Promise<Metrics>;
  close(): Promise<void>;
  /**
   * For a capacity that can grow while evaluations run: calls `listener` when it has, so the engine
   * asks for more trials at once instead of at the next result. Returns how to stop listening.
   */
  onCapacityGrowth?(listener: () => void): () => void;
}
