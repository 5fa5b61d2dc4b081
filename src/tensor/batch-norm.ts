import * as tf from '@tensorflow/tfjs-core';

/**
 * Training-mode BatchNorm as one kernel (and one for its gradient) where a backend registers them
 * (wasm with the native kernels): about 2 passes over the data each way, instead of ~10 elementwise
 * kernels and 4 reductions. Callers check hasFusedBatchNorm() and otherwise compose tf ops.
 */
export const BATCH_NORM_TRAIN = 'TsnasBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'TsnasBatchNormTrainGrad';

export interface BatchNormAttrs {
  epsilon: number;
}

export function hasFusedBatchNorm(): boolean {
  return tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) !== undefined &&
    tf.getKernel(BATCH_NORM_TRAIN_GRAD, tf.getBackend()) !== undefined;
}

/**
 * y = (x - mean) / sqrt(variance + epsilon) * gamma + beta over every axis but the last, with the
 * batch's mean and biased variance, returned for the moving averages. Differentiable in y only: the
 * statistics are meant for bookkeeping, and a gradient through them is ignored.
 */
export function batchNormTrain<T extends tf.Tensor>(x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): {
  y: T;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
} {
  const attrs: BatchNormAttrs = { epsilon };
  const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAIN, { x, gamma, beta },
    attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return { y: y as T, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}

/** Registers the gradient of BATCH_NORM_TRAIN (backend-independent: it runs BATCH_NORM_TRAIN_GRAD). */
export function registerBatchNormGradient(): void {
  if (tf.getGradient(BATCH_NORM_TRAIN) !== undefined) return;
  tf.registerGradient({
    kernelName: BATCH_NORM_TRAIN,
    inputsToSave: ['x', 'gamma'],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [x, gamma, mean, variance] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const dy = (Array.isArray(dys) ? dys[0] : dys) ?? tf.zerosLike(x);
      // Computed here, not in the closures: the tape runs each closure in its own tidy, which would
      // dispose the other two outputs; made here they live in the backward pass's scope instead.
      const [dx, dGamma, dBeta] = tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD,
        { dy, x, gamma, mean, variance }, attrs as tf.NamedAttrMap) as tf.Tensor[];
      return { x: () => dx!, gamma: () => dGamma!, beta: () => dBeta! };
    },
  });
}
