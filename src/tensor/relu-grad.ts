import * as tf from '@tensorflow/tfjs-core';

/** Name of the kernel of ReLU's gradient: inputs x (the ReLU's input) and dy, dx = dy * step(x). */
export const RELU_GRAD = 'TsnasReluGrad';

let ours: tf.GradConfig | undefined;

/**
 * ReLU's gradient as one kernel where the backend has it (wasm with the native kernels): tfjs's
 * mul(dy, cast(step(x))) is a Step and a Multiply (~20 of each per detector step) otherwise. Replaces
 * tfjs's Relu gradient, which the other backends (and non-float32 inputs) still get. Idempotent; call
 * after tfjs's gradients are registered.
 */
export function registerReluGradient(): void {
  const stock = tf.getGradient(tf.Relu);
  if (stock === undefined || stock === ours) return;
  ours = {
    kernelName: tf.Relu,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      if (x.dtype !== 'float32' || tf.getKernel(RELU_GRAD, tf.getBackend()) === undefined) return stock.gradFunc(dy, saved, attrs);
      return { x: () => tf.engine().runKernel(RELU_GRAD, { x, dy: dy as tf.Tensor }) as tf.Tensor };
    },
  };
  tf.registerGradient(ours);
}
