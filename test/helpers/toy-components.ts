import type { EvaluationRequest, Evaluator, EvaluatorFactory, Metrics } from '../../src/core/evaluator.js';
import type { SpaceFactory } from '../../src/core/space.js';
import { resolveOptions } from '../../src/core/options.js';
import type { Registries } from '../../src/core/registry.js';
import { ToyCellSpace } from './toy-space.js';

/** Counts evaluations per key, so tests can assert what was (not) evaluated again. */
export const evaluationLog: string[] = [];

/** Reward = how many choices equal a fixed target, plus a small per-key tie-breaker. */
class ToyEvaluator implements Evaluator<number[]> {
  readonly metrics = ['score', 'cost'];
  readonly primaryMetric = 'score';
  constructor(
    private readonly failOn: string | undefined,
    private readonly delayMs: number,
  ) {}

  async evaluate(req: EvaluationRequest<number[]>): Promise<Metrics> {
    evaluationLog.push(req.key);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs * Math.random()));
    if (req.key === this.failOn) throw new Error('toy failure');
    const score = req.genotype.filter((c, i) => c === (i % 3 === 2 ? 1 : i % 2)).length;
    return { score: score + (req.key.length % 10) / 100, cost: req.genotype.reduce((a, b) => a + b, 0) };
  }
}

export const toySpaceFactory: SpaceFactory = {
  name: 'toy',
  description: 'test space',
  options: { cells: { type: 'integer', default: 3, min: 1, help: 'cells' } },
  create(options) {
    return new ToyCellSpace(resolveOptions('space', this.options, options).cells as number);
  },
};

export const toyEvaluatorFactory: EvaluatorFactory = {
  name: 'toy',
  description: 'test evaluator',
  spaces: ['toy'],
  options: {
    failOn: { type: 'optional-string', help: 'key that fails' },
    delayMs: { type: 'number', default: 0, min: 0, help: 'random delay' },
  },
  create(options) {
    const o = resolveOptions('evaluator', this.options, options);
    return new ToyEvaluator(o.failOn as string | undefined, o.delayMs as number);
  },
};

export function registerToy(r: Registries): Registries {
  r.spaces.add(toySpaceFactory);
  r.evaluators.add(toyEvaluatorFactory);
  return r;
}
