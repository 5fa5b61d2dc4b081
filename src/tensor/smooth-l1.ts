import * as tf from '@tensorflow/tfjs-core';
import { registerLossGradient, runLossKernel } from './loss-kernel.js';

/**
 * The detector's box loss, a weighted sum of smooth-L1 terms, as one kernel where a backend registers
 * it (wasm): one pass computes the sum and its gradient in deltas, instead of ~12 elementwise kernels
 * forward and ~20 backward. Outputs: the sum and d(sum)/d(deltas), which the registered gradient
 * scales by dy. Callers check hasFusedSmoothL1() and otherwise compose tf ops.
 */
export const SMOOTH_L1_LOSS = 'TsnasSmoothL1Loss';

export interface SmoothL1Attrs {
  beta: number;
}

export function hasFusedSmoothL1(): boolean {
  return tf.getKernel(SMOOTH_L1_LOSS, tf.getBackend()) !== undefined;
}

/**
 * sum over rows r and columns j of weights[r] * smoothL1(deltas[r, j] - targets[r, j]), where
 * smoothL1(d) is 0.5 d^2 / beta for |d| < beta, else |d| - beta / 2. deltas and targets are
 * [..., width] of one shape, weights has one value per row. Differentiable in deltas.
 */
export function smoothL1Sum(deltas: tf.Tensor, targets: tf.Tensor, weights: tf.Tensor, beta: number): tf.Scalar {
  const attrs: SmoothL1Attrs = { beta };
  return runLossKernel(SMOOTH_L1_LOSS, { deltas, targets, weights }, attrs);
}

/** Registers the gradient of SMOOTH_L1_LOSS: dy times its saved second output. */
export function registerSmoothL1Gradient(): void {
  registerLossGradient(SMOOTH_L1_LOSS, 'deltas');
}
