import * as tf from '@tensorflow/tfjs-core';
import { hasFusedUpsample, upsampleNearestFused } from '../tensor/upsample.js';

/** Max pooling with a square window and stride `s` ('same' padding): the way down to a coarser feature level. */
export function maxPool(x: tf.Tensor4D, s: number): tf.Tensor4D {
  return tf.maxPool(x, s, s, 'same');
}

/**
 * Nearest-neighbour upsampling by an integer factor: one fused kernel where the backend has it (wasm
 * with the native kernels), else a broadcast multiply and reshapes, whose gradient (a sum) exists on
 * every backend.
 */
export function upsampleNearest(x: tf.Tensor4D, f: number): tf.Tensor4D {
  if (f === 1) return x;
  if (hasFusedUpsample()) return upsampleNearestFused(x, f);
  const [n, h, w, c] = x.shape;
  const expanded = tf.mul(tf.reshape(x, [n, h, 1, w, 1, c]), tf.ones([1, 1, f, 1, f, 1]));
  return tf.reshape(expanded, [n, h * f, w * f, c]);
}

/**
 * Moves a feature map between pyramid levels (level l has stride 2^l): max pooling (stride 2^d) to a
 * coarser one, nearest upsampling to a finer one.
 */
export function resample(x: tf.Tensor4D, from: number, to: number): tf.Tensor4D {
  if (to > from) return maxPool(x, 2 ** (to - from));
  if (to < from) return upsampleNearest(x, 2 ** (from - to));
  return x;
}
