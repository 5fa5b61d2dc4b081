import * as tf from '@tensorflow/tfjs-core';

let loading: Promise<void> | undefined;

/**
 * Registers tfjs's gradient functions (tf.grad, optimizers). The CommonJS bundle Node loads for
 * '@tensorflow/tfjs-core' registers none; the @tensorflow/tfjs package does, into the same global
 * registry (one deduplicated tfjs-core), as its documentation prescribes. No-op when they are there.
 */
export function registerCoreGradients(): Promise<void> {
  if (tf.getGradient(tf.Conv2D) != null) return Promise.resolve();
  loading ??= import('@tensorflow/tfjs').then(() => {
    if (tf.getGradient(tf.Conv2D) == null) throw new Error('tsnas: @tensorflow/tfjs did not register gradients (several tfjs-core copies installed?)');
  });
  return loading;
}
