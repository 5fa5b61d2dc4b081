import type { EvaluationRequest, Evaluator, Metrics } from '../src/core/evaluator.js';
import { resolveOptions } from '../src/core/options.js';
import type { Registries } from '../src/core/registry.js';

/**
 * Plugin for the pool-overhead benchmark: an evaluator that keeps its thread busy for a fixed time,
 * like a short training run, and returns a score derived from the key (deterministic, no data).
 */
class BusyEvaluator implements Evaluator {
  readonly metrics = ['score'];
  readonly primaryMetric = 'score';
  constructor(private readonly ms: number) {}

  evaluate(req: EvaluationRequest): Promise<Metrics> {
    const end = performance.now() + this.ms;
    while (performance.now() < end); // busy on purpose: a sleeping evaluator would not need threads
    let h = 0;
    for (const ch of req.key) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return Promise.resolve({ score: (h % 10000) / 100 });
  }
}

export function register(registries: Registries): void {
  const options = { ms: { type: 'number', default: 50, min: 0, help: 'busy time per evaluation' } } as const;
  registries.evaluators.add({
    name: 'busy',
    description: 'busy-waits a fixed time per evaluation (benchmarks)',
    options,
    create: (given) => new BusyEvaluator(resolveOptions('evaluator', options, given).ms),
  });
}
