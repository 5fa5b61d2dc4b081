import * as tf from '@tensorflow/tfjs-core';

/**
 * Training-mode BatchNorm as one kernel (and one for its gradient) where a backend registers them
 * (wasm with the native kernels): about 2 passes over the data each way, instead of ~10 elementwise
 * kernels and 4 reductions. Callers check hasFusedBatchNorm() and otherwise compose tf ops.
 */
export const BATCH_NORM_TRAIN = 'TsnasBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'TsnasBatchNormTrainGrad';
/** BATCH_NORM_TRAIN with ReLU on its output: one kernel instead of BatchNorm, Relu, and Step plus Multiply backward. */
export const BATCH_NORM_RELU_TRAIN = 'TsnasBatchNormReluTrain';

export interface BatchNormAttrs {
  epsilon: number;
  /** BATCH_NORM_TRAIN_GRAD's: the forward was BATCH_NORM_RELU_TRAIN (an input `y`, its output, masks dy). */
  relu?: boolean;
}

export function hasFusedBatchNorm(): boolean {
  return tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) !== undefined &&
    tf.getKernel(BATCH_NORM_TRAIN_GRAD, tf.getBackend()) !== undefined;
}

export function hasFusedBatchNormRelu(): boolean {
  return hasFusedBatchNorm() && tf.getKernel(BATCH_NORM_RELU_TRAIN, tf.getBackend()) !== undefined;
}

/**
 * y = (x - mean) / sqrt(variance + epsilon) * gamma + beta over every axis but the last, with the
 * batch's mean and biased variance, returned for the moving averages. Differentiable in y only: the
 * statistics are meant for bookkeeping, and a gradient through them is ignored. With `relu`
 * (where hasFusedBatchNormRelu()), y is max(0, that).
 */
export function batchNormTrain<T extends tf.Tensor>(x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number, relu = false): {
  y: T;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
} {
  const attrs: BatchNormAttrs = { epsilon };
  const [y, mean, variance] = tf.engine().runKernel(relu ? BATCH_NORM_RELU_TRAIN : BATCH_NORM_TRAIN, { x, gamma, beta },
    attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return { y: y as T, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}

/** Registers the gradients of BATCH_NORM_TRAIN and BATCH_NORM_RELU_TRAIN (backend-independent: they run BATCH_NORM_TRAIN_GRAD). */
export function registerBatchNormGradient(): void {
  for (const [kernelName, relu] of [[BATCH_NORM_TRAIN, false], [BATCH_NORM_RELU_TRAIN, true]] as const) {
    if (tf.getGradient(kernelName) === undefined) registerGradient(kernelName, relu);
  }
}

function registerGradient(kernelName: string, relu: boolean): void {
  tf.registerGradient({
    kernelName,
    inputsToSave: ['x', 'gamma'],
    // With ReLU, y is saved for its mask (each saved tensor costs the tape a clone: only then).
    outputsToSave: [relu, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [x, gamma, ...rest] = saved as tf.Tensor[];
      const [y, mean, variance] = (relu ? rest : [undefined, ...rest]) as [tf.Tensor, tf.Tensor, tf.Tensor];
      const dy = (Array.isArray(dys) ? dys[0] : dys) ?? tf.zerosLike(x!);
      // Computed here, not in the closures: the tape runs each closure in its own tidy, which would
      // dispose the other two outputs; made here they live in the backward pass's scope instead.
      const inputs: tf.NamedTensorMap = relu ? { dy, x: x!, gamma: gamma!, mean, variance, y } : { dy, x: x!, gamma: gamma!, mean, variance };
      const gradAttrs: BatchNormAttrs = { epsilon: (attrs as unknown as BatchNormAttrs).epsilon, relu };
      const [dx, dGamma, dBeta] = tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, inputs, gradAttrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      return { x: () => dx!, gamma: () => dGamma!, beta: () => dBeta! };
    },
  });
}
