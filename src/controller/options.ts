import type { OptionSpecs } from '../core/options.js';

/**
 * Options shared by every controller-based strategy. Defaults are NASNet's controller (Zoph et al. 2018,
 * §3: one-layer LSTM of 100 units, Adam lr 0.00035, entropy weight 0.00001, baseline EMA 0.95,
 * updates on 20 architectures). Rewards are used as given, times `rewardScale`: with Adam the size of
 * a policy-gradient step does not depend on the reward's units, but the entropy bonus is weighed
 * against the advantages, so `entropyWeight` assumes NASNet's units (accuracy in [0, 1]); for rewards
 * in percent (NAS-Bench-201) use rewardScale 0.01 to keep the paper's balance.
 */
export const CONTROLLER_OPTIONS = {
  units: { type: 'integer', default: 100, min: 1, help: 'LSTM units (NASNet: 100)' },
  learningRate: { type: 'number', default: 0.00035, min: 0, help: 'Adam learning rate (NASNet: 0.00035)' },
  entropyWeight: { type: 'number', default: 0.00001, min: 0, help: 'weight of the entropy bonus (NASNet: 0.00001)' },
  baselineDecay: { type: 'number', default: 0.95, min: 0, max: 1, help: 'decay of the moving-average reward baseline (NASNet: 0.95)' },
  batch: { type: 'integer', default: 20, min: 1, help: 'architectures per controller update (NASNet: 20)' },
  temperature: { type: 'number', default: 1, min: 1e-6, help: 'softmax temperature: logits / T (1 = off)' },
  tanhConstant: { type: 'number', default: 0, min: 0, help: 'when > 0, logits become C * tanh(logits / T) (ENAS uses 2.5; 0 = off)' },
  rewardScale: { type: 'number', default: 1, min: 1e-12, help: 'rewards are multiplied by this (0.01 turns percent into [0, 1])' },
} as const satisfies OptionSpecs;
