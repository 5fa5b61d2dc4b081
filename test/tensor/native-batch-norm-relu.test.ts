// The fused training BatchNorm with ReLU on its output: equal to relu(composite BatchNorm) on the cpu
// backend, forward and backward, and safe when the gradient kernel lacks the saved output.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { BATCH_NORM_TRAIN_GRAD } from '../../src/tensor/batch-norm.js';
import { batchNormTrain, nativeKernels } from '../../src/tensor/index.js';
import { assertClose, assertGradsMatch, initBothBackends, input, liveCounts } from './support.js';

const skip = nativeKernels().kernels === undefined ? `native kernels unavailable: ${nativeKernels().reason}` : false;

/** What backends without the fused kernel compute: ReLU of the composite BatchNorm. */
function composite(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()]);
  return tf.relu(tf.add(tf.mul(tf.sub(x, mean), tf.mul(gamma, tf.rsqrt(tf.add(variance, eps)))), beta));
}

describe('fused training BatchNorm + ReLU', { skip }, () => {
  before(initBothBackends);

  // 1x1 maps, odd sizes, rank 3, one channel. (With 2 rows per channel dx is ~0 and only float
  // cancellation is left to compare.)
  for (const shape of [[4, 5, 5, 3], [6, 1, 1, 4], [3, 7, 17], [5, 3, 3, 1], [3, 10, 10, 16], [2, 4, 4, 24]]) { // 16, 24: vector passes
    it(`matches relu(composite BatchNorm) forward and backward for x [${shape}]`, async () => {
      const c = shape.at(-1)!;
      const x = input(shape, 4, (v) => 20 + 2 * v);
      const gamma = input([c], 5, (v) => 1 + v);
      const beta = input([c], 6); // some channels shifted below 0, some above: both sides of the ReLU
      const f = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        tf.getBackend() === 'wasm' ? batchNormTrain(xs, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3, true).y : composite(xs, g, b, 1e-3);
      await tf.setBackend('cpu');
      const want = tf.tidy(() => f(...([x, gamma, beta].map((i) => tf.tensor(i.values, i.shape)) as [tf.Tensor, tf.Tensor, tf.Tensor])).dataSync());
      await tf.setBackend('wasm');
      const got = tf.tidy(() => f(...([x, gamma, beta].map((i) => tf.tensor(i.values, i.shape)) as [tf.Tensor, tf.Tensor, tf.Tensor])).dataSync());
      assertClose(got, want, 'y', 1e-4);
      assert.ok(got.some((v) => v === 0) && got.some((v) => v > 0), 'the case exercises both sides of the ReLU');
      await assertGradsMatch('batch norm + relu', [x, gamma, beta], f);
    });
  }

  it('leaves no tensor or buffer behind in a gradient step, and rejects a gradient call without the output', async () => {
    await tf.setBackend('wasm');
    const [x, gamma, beta] = [tf.randomNormal([2, 3, 3, 4], 0, 1, 'float32', 1), tf.ones([4]), tf.zeros([4])] as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
    const before = liveCounts();
    const grads = tf.grads((a: tf.Tensor, g: tf.Tensor) => tf.sum(tf.square(batchNormTrain(a, g as tf.Tensor1D, beta, 1e-3, true).y)))([x, gamma]);
    tf.dispose(grads);
    assert.deepEqual(liveCounts(), before);
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    assert.throws(() => tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, { dy: x, x, gamma, mean, variance }, { epsilon: 1e-3, relu: true }),
      /missing input 'y'/);
    tf.dispose([x, gamma, beta, mean, variance]);
  });
});
