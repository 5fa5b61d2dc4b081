import * as tf from '@tensorflow/tfjs-core';
import { registerLossGradient, runLossKernel } from './loss-kernel.js';

/**
 * RetinaNet's sigmoid focal loss as one kernel where a backend registers it (wasm with the native
 * kernels): one pass over the logits computes the loss and its gradient together (they share every
 * exp and log), instead of ~25 elementwise kernels forward and ~40 backward. Outputs: the loss sum
 * and d(sum)/d(logits), which the registered gradient scales by dy. Callers check hasFusedFocalLoss()
 * and otherwise compose tf ops.
 */
export const SIGMOID_FOCAL_LOSS = 'TsnasSigmoidFocalLoss';

export interface FocalLossAttrs {
  alpha: number;
  gamma: number;
}

export function hasFusedFocalLoss(): boolean {
  return tf.getKernel(SIGMOID_FOCAL_LOSS, tf.getBackend()) !== undefined;
}

/**
 * Sum of the focal loss over every (anchor, class) of `logits` ([..., classes]) whose anchor's label
 * (int32, one per anchor: class index, -1 background, -2 ignored) is not -2. Differentiable in logits.
 */
export function sigmoidFocalLossSum(logits: tf.Tensor, labels: tf.Tensor, alpha: number, gamma: number): tf.Scalar {
  const attrs: FocalLossAttrs = { alpha, gamma };
  return runLossKernel(SIGMOID_FOCAL_LOSS, { logits, labels }, attrs);
}

/** Registers the gradient of SIGMOID_FOCAL_LOSS: dy times its saved second output. */
export function registerFocalLossGradient(): void {
  registerLossGradient(SIGMOID_FOCAL_LOSS, 'logits');
}
