import * as tf from '@tensorflow/tfjs-core';

/** Name of the kernel updating many moving averages at once: inputs moving0, batch0, moving1, ... */
export const MOVING_AVERAGES = 'TsnasMovingAverages';

export interface MovingAveragesAttrs {
  momentum: number;
}

/**
 * momentum * moving + (1 - momentum) * batch for every [moving, batch] pair, in float32 as
 * tf.add(tf.mul(moving, momentum), tf.mul(batch, 1 - momentum)) computes it. Where the backend has
 * the kernel (wasm), one call serves all of a step's BatchNorm layers: the ops cost 3 kernels and 2
 * scalar uploads per statistic, ~230 kernel calls per detector step. No gradient: it runs after the step.
 */
export function movingAverages(pairs: readonly (readonly [tf.Tensor, tf.Tensor])[], momentum: number): tf.Tensor[] {
  if (pairs.length === 0) return [];
  if (tf.getKernel(MOVING_AVERAGES, tf.getBackend()) === undefined) {
    return pairs.map(([moving, batch]) => tf.add(tf.mul(moving, momentum), tf.mul(batch, 1 - momentum)));
  }
  const inputs: tf.NamedTensorMap = {};
  pairs.forEach(([moving, batch], i) => {
    inputs[`moving${i}`] = moving;
    inputs[`batch${i}`] = batch;
  });
  const attrs: MovingAveragesAttrs = { momentum };
  const out = tf.engine().runKernel(MOVING_AVERAGES, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}
