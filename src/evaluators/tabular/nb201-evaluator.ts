import { DataError } from '../../core/errors.js';
import type { EvaluationRequest, Evaluator, EvaluatorFactory, Metrics } from '../../core/evaluator.js';
import { resolveOptions, type OptionSpecs } from '../../core/options.js';
import { Rng } from '../../core/rng.js';
import type { Nb201Genotype } from '../../spaces/nasbench201/space.js';
import { loadNb201Table, NB201_DATASETS, NB201_ENV, resolveTablePath, type Nb201Row } from './nb201-table.js';

/**
 * A standard normal draw determined by the request (Box-Muller on a generator seeded by seed and key):
 * the same trial gets the same noise in every run, independent of evaluation order or workers.
 */
export function rewardNoise(seed: number, key: string): number {
  const rng = Rng.fromSeed(`nb201-noise:${seed}:${key}`);
  const u = 1 - rng.next(); // (0, 1]: log is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/**
 * NAS-Bench-201 table lookup. The reward is the validation accuracy; the test accuracy is reported for
 * the architecture a search returns, as the literature does (a strategy never sees it). With `noise`
 * > 0 the validation accuracy gets Gaussian noise of that std (accuracy points), as a real training
 * run's seed would give it; test and train accuracy stay the table's, so reports remain noiseless.
 */
export class Nb201Evaluator implements Evaluator<Nb201Genotype> {
  readonly metrics = ['val_acc', 'test_acc', 'train_acc'] as const;
  readonly primaryMetric = 'val_acc';
  readonly reportMetric = 'test_acc';

  constructor(
    private readonly table: ReadonlyMap<string, Nb201Row>,
    private readonly noise = 0,
  ) {}

  /** Best of a metric over the table; the noisy val_acc has none (its maximum depends on the draws). */
  optimum(metric: string): number | undefined {
    const columns = { val_acc: 'validAcc', test_acc: 'testAcc', train_acc: 'trainAcc' } as const;
    if (!Object.hasOwn(columns, metric) || (metric === 'val_acc' && this.noise > 0)) return undefined;
    const column = columns[metric as keyof typeof columns];
    let best = -Infinity;
    for (const row of this.table.values()) best = Math.max(best, row[column]);
    return best;
  }

  evaluate(request: EvaluationRequest<Nb201Genotype>): Promise<Metrics> {
    const row = this.table.get(request.key);
    if (!row) return Promise.reject(new DataError(`architecture ${request.key} is not in the NAS-Bench-201 table`));
    const val = this.noise > 0 ? row.validAcc + this.noise * rewardNoise(request.seed, request.key) : row.validAcc;
    return Promise.resolve({ val_acc: val, test_acc: row.testAcc, train_acc: row.trainAcc });
  }
}

const OPTIONS = {
  dataset: { type: 'string', default: 'cifar100', choices: NB201_DATASETS, help: 'which table' },
  path: { type: 'optional-string', help: `folder holding nasbench201_<dataset>.csv, or the CSV itself (default: $${NB201_ENV})` },
  noise: { type: 'number', default: 0, min: 0, help: 'std (accuracy points) of Gaussian noise added to val_acc, drawn from the trial seed (0 = the table as is)' },
} as const satisfies OptionSpecs;

export const nb201EvaluatorFactory: EvaluatorFactory = {
  name: 'nasbench201',
  description: 'NAS-Bench-201 tabular lookup (accuracies in percent after 200 epochs)',
  spaces: ['nasbench201'],
  options: OPTIONS,
  create(options) {
    const o = resolveOptions('evaluator', OPTIONS, options);
    return new Nb201Evaluator(loadNb201Table(resolveTablePath(o.dataset, o.path)), o.noise);
  },
};
