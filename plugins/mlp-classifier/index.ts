/**
 * Example evaluator plugin, written only against tsnas's public entry points (`tsnas/evaluator`,
 * `tsnas/data`, `tsnas/nn`, `tsnas/tensor`, `tsnas/train`, `tsnas/metrics`): a small MLP image
 * classifier whose widths, activation and learning rate a categorical space chooses, trained with
 * tsnas's trainer on a registered dataset. README, "Writing an evaluator or a search space":
 *
 *   tsnas search --plugin ./dist/plugins/mlp-classifier/index.js --space mlp --evaluator mlp-classifier \
 *     --strategy evolution --evaluations 20 --evaluator-opt steps=200
 */
import type { Registries } from 'tsnas/evaluator';
import { mlpEvaluatorFactory } from './evaluator.js';
import { mlpSpaceFactory } from './space.js';

export function register(registries: Registries): void {
  registries.spaces.add(mlpSpaceFactory);
  registries.evaluators.add(mlpEvaluatorFactory(registries.datasets));
}
