import { categoricalSpaceFactory, type CategoricalGenotype } from 'tsnas/evaluator';

/**
 * What the search chooses: two hidden layers' widths (0: no second layer), their activation and
 * Adam's learning rate. 3 x 3 x 3 x 3 = 81 points, a plain record each: `{ hidden1: 64, ... }`.
 */
export const MLP_DECISIONS = {
  hidden1: [32, 64, 128],
  hidden2: [0, 32, 64],
  activation: ['relu', 'tanh', 'elu'],
  learningRate: [0.01, 0.003, 0.001],
} as const;

export type MlpGenotype = CategoricalGenotype<typeof MLP_DECISIONS>;

export const mlpSpaceFactory = categoricalSpaceFactory({
  name: 'mlp',
  description: 'example plugin: hidden widths, activation and learning rate of a small MLP classifier',
  decisions: MLP_DECISIONS,
});
