import type { EvaluationRequest, Evaluator, Metrics } from '../src/core/evaluator.js';
import { resolveOptions } from '../src/core/options.js';
import type { Registries } from '../src/core/registry.js';

/**
 * Plugin for the executor benchmarks: an evaluator that keeps its thread busy, like a short training
 * run, and returns a score derived from the key (deterministic, no data) and the time it took.
 * `ms`: busy for that much wall time (the same time however loaded the cores are); `loops` > 0: a
 * fixed amount of arithmetic instead (the same CPU work: it takes longer when threads share a core).
 */
class BusyEvaluator implements Evaluator {
  readonly metrics = ['score', 'evalMs'];
  readonly primaryMetric = 'score';
  constructor(
    private readonly ms: number,
    private readonly loops: number,
  ) {}

  evaluate(req: EvaluationRequest): Promise<Metrics> {
    const start = performance.now();
    if (this.loops > 0) {
      let x = 0;
      for (let i = 0; i < this.loops; i++) x += Math.sqrt(i + x) % 7;
      if (x < 0) throw new Error('unreachable'); // keeps the loop from being optimised away
    } else {
      const end = start + this.ms;
      while (performance.now() < end); // busy on purpose: a sleeping evaluator would not need threads
    }
    let h = 0;
    for (const ch of req.key) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return Promise.resolve({ score: (h % 10000) / 100, evalMs: performance.now() - start });
  }
}

export function register(registries: Registries): void {
  const options = {
    ms: { type: 'number', default: 50, min: 0, help: 'busy wall time per evaluation' },
    loops: { type: 'integer', default: 0, min: 0, help: 'if > 0: this many iterations of arithmetic per evaluation instead (fixed CPU work)' },
  } as const;
  registries.evaluators.add({
    name: 'busy',
    description: 'busy-waits a fixed time, or does a fixed amount of arithmetic, per evaluation (benchmarks)',
    options,
    create: (given) => {
      const o = resolveOptions('evaluator', options, given);
      return new BusyEvaluator(o.ms, o.loops);
    },
  });
}
