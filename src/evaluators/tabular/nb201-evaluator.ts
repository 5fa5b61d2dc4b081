import { DataError } from '../../core/errors.js';
import type { EvaluationRequest, Evaluator, EvaluatorFactory, Metrics } from '../../core/evaluator.js';
import { resolveOptions, type OptionSpecs } from '../../core/options.js';
import type { Nb201Genotype } from '../../spaces/nasbench201/space.js';
import { loadNb201Table, NB201_DATASETS, NB201_ENV, resolveTablePath, type Nb201Row } from './nb201-table.js';

/**
 * NAS-Bench-201 table lookup. The reward is the validation accuracy; the test accuracy is reported for
 * the architecture a search returns, as the literature does (a strategy never sees it).
 */
export class Nb201Evaluator implements Evaluator<Nb201Genotype> {
  readonly metrics = ['val_acc', 'test_acc', 'train_acc'] as const;
  readonly primaryMetric = 'val_acc';
  readonly reportMetric = 'test_acc';

  constructor(private readonly table: ReadonlyMap<string, Nb201Row>) {}

  evaluate(request: EvaluationRequest<Nb201Genotype>): Promise<Metrics> {
    const row = this.table.get(request.key);
    if (!row) return Promise.reject(new DataError(`architecture ${request.key} is not in the NAS-Bench-201 table`));
    return Promise.resolve({ val_acc: row.validAcc, test_acc: row.testAcc, train_acc: row.trainAcc });
  }
}

const OPTIONS = {
  dataset: { type: 'string', default: 'cifar100', choices: NB201_DATASETS, help: 'which table' },
  path: { type: 'optional-string', help: `folder holding nasbench201_<dataset>.csv, or the CSV itself (default: $${NB201_ENV})` },
} as const satisfies OptionSpecs;

export const nb201EvaluatorFactory: EvaluatorFactory = {
  name: 'nasbench201',
  description: 'NAS-Bench-201 tabular lookup (accuracies in percent after 200 epochs)',
  spaces: ['nasbench201'],
  options: OPTIONS,
  create(options) {
    const o = resolveOptions('evaluator', OPTIONS, options);
    return new Nb201Evaluator(loadNb201Table(resolveTablePath(o.dataset, o.path)));
  },
};
