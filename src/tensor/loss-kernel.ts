import * as tf from '@tensorflow/tfjs-core';

/**
 * The fused losses (focal, smooth L1) are kernels with two outputs: the loss sum and its gradient in
 * one input, computed in the same pass. The caller gets the sum; the tape saves the gradient, which
 * the registered gradient function scales by dy.
 */
export function runLossKernel(kernelName: string, inputs: tf.NamedTensorMap, attrs: object): tf.Scalar {
  const [sum, gradient] = tf.engine().runKernel(kernelName, inputs, attrs as tf.NamedAttrMap) as [tf.Scalar, tf.Tensor];
  gradient.dispose(); // the tape keeps its own reference when it records the gradient
  return sum;
}

/** Registers the gradient of such a kernel for `input`: dy times its saved second output. Idempotent. */
export function registerLossGradient(kernelName: string, input: string): void {
  if (tf.getGradient(kernelName) !== undefined) return;
  tf.registerGradient({
    kernelName,
    outputsToSave: [false, true],
    gradFunc: (dys, saved) => {
      const dy = (Array.isArray(dys) ? dys[0] : dys)!;
      const [gradient] = saved as [tf.Tensor];
      return { [input]: () => tf.mul(dy, gradient) };
    },
  });
}
