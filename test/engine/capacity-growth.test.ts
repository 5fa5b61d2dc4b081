import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvaluationRequest, Evaluator, Metrics } from '../../src/core/evaluator.js';
import type { Executor } from '../../src/core/executor.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { runSearch } from '../../src/wiring/run-search.js';
import { registries, toyConfig } from '../helpers/run.js';

/** An executor whose capacity grows from 1 to 3 while its first evaluation runs, as when workers join a queue. */
class GrowingExecutor implements Executor {
  capacity = 1;
  inFlight = 0;
  /** In-flight count when each evaluation started. */
  readonly seen: number[] = [];
  private readonly listeners = new Set<() => void>();
  constructor(private readonly evaluator: Evaluator) {
    setTimeout(() => {
      this.capacity = 3;
      for (const l of this.listeners) l();
    }, 50);
  }

  async run(request: EvaluationRequest): Promise<Metrics> {
    this.seen.push(++this.inFlight);
    try {
      await new Promise((r) => setTimeout(r, 300));
      return await this.evaluator.evaluate(request);
    } finally {
      this.inFlight--;
    }
  }

  onCapacityGrowth(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {}
}

test('an executor whose capacity grows mid-trial gets more trials at once, not at the next result', async () => {
  let executor: GrowingExecutor | undefined;
  const result = await runSearch(toyConfig({ strategy: 'random', budget: { evaluations: 6 } }), {
    name: 'growth',
    store: new MemoryStore(),
    registries: registries(),
    makeExecutor: (evaluator) => (executor = new GrowingExecutor(evaluator)),
  });
  assert.equal(result.evaluations, 6);
  // 1, then 2 more as soon as the capacity grew (before the first 300 ms trial ended), then 3 at a time.
  assert.deepEqual(executor?.seen.slice(0, 3), [1, 2, 3]);
});
