import * as tf from '@tensorflow/tfjs-core';

/**
 * A filter [kh, kw, ...] with d-1 zeros between its taps, [d(kh-1)+1, d(kw-1)+1, ...]: convolving with
 * it is the dilated convolution. tfjs has no gradient for dilated convolutions, while this is made of
 * ops that have one (stack, reshape, slice), so dilated ops train on every backend.
 */
export function dilateFilter(w: tf.Tensor4D, d: number): tf.Tensor4D {
  if (d === 1) return w;
  const spread = (t: tf.Tensor, axis: number): tf.Tensor => {
    const n = t.shape[axis]!;
    const parts = [t, ...Array.from({ length: d - 1 }, () => tf.zerosLike(t))];
    const stacked = tf.stack(parts, axis + 1);
    const shape = t.shape.slice();
    shape[axis] = n * d;
    const flat = tf.reshape(stacked, shape);
    const size = shape.map((s, i) => (i === axis ? d * (n - 1) + 1 : s));
    return tf.slice(flat, shape.map(() => 0), size);
  };
  return spread(spread(w, 0), 1) as tf.Tensor4D;
}
