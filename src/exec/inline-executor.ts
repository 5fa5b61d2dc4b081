import type { EvaluationRequest, Evaluator, Metrics } from '../core/evaluator.js';
import type { Executor } from '../core/executor.js';

/**
 * Evaluates in the calling thread: right for table lookups and for debugging. `capacity` > 1 lets
 * asynchronous evaluators overlap; it does not add threads.
 */
export class InlineExecutor implements Executor {
  constructor(
    private readonly evaluator: Evaluator,
    readonly capacity = 1,
  ) {}

  run(request: EvaluationRequest): Promise<Metrics> {
    return this.evaluator.evaluate(request);
  }

  async close(): Promise<void> {
    await this.evaluator.close?.();
  }
}
