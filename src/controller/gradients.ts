import * as tf from '@tensorflow/tfjs-core';

const transposeLast = (x: tf.Tensor): tf.Tensor => tf.transpose(x, x.rank === 3 ? [0, 2, 1] : [1, 0]);

/**
 * a @ b (rank 2 or 3, same rank) whose gradient uses explicit transposes. tfjs's own BatchMatMul
 * gradient (registered when the project loads all of tfjs's gradients) uses matMul's transpose flags,
 * which make wasm's BatchMatMul ~10x slower: the controller's update time was mostly that.
 */
export const matMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor, tf.Tensor];
      return [tf.matMul(dy, transposeLast(sb)), tf.matMul(transposeLast(sa), dy)];
    },
  };
}) as <T extends tf.Tensor>(a: T, b: tf.Tensor) => T;

/**
 * Fails clearly when tfjs's gradient functions are missing (tfjs-core's Node bundle has none; the
 * project's initBackend / the strategies' ensureBackend register them) instead of deep inside autodiff.
 */
export function assertGradientsRegistered(): void {
  if (tf.getGradient(tf.BatchMatMul) === undefined || tf.getGradient(tf.Softmax) === undefined) {
    throw new Error('tsnas controller: tfjs has no gradient functions registered; call initBackend() (src/tensor) or ensureBackend() (src/controller/backend.ts) first');
  }
}
