// The native Add, Multiply and ReLU gradient: bit for bit the cpu backend's, for the shapes they take
// (one shape, a trailing block, a scalar) and those they hand back to the stock kernel.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { nativeKernels } from '../../src/tensor/index.js';
import { RELU_GRAD } from '../../src/tensor/relu-grad.js';
import { assertGradsMatch, initBothBackends, input, liveCounts } from './support.js';

const native = nativeKernels().kernels;
const skip = native === undefined ? `native kernels unavailable: ${nativeKernels().reason}` : false;

/** f(a, b) on one backend, as plain numbers. */
async function on(backend: string, a: { shape: number[]; values: Float32Array }, b: { shape: number[]; values: Float32Array },
  f: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor): Promise<{ shape: number[]; values: number[] }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const y = f(tf.tensor(a.values, a.shape), tf.tensor(b.values, b.shape));
    return { shape: y.shape, values: Array.from(y.dataSync()) };
  });
}

describe('native elementwise kernels', { skip }, () => {
  before(initBothBackends);

  // One shape; channels (either side); a scalar; leading 1s; and broadcasts left to the stock kernel.
  const cases: [number[], number[]][] = [
    [[2, 3, 4, 5], [2, 3, 4, 5]], [[2, 3, 4, 5], [5]], [[5], [2, 3, 4, 5]], [[2, 3, 4, 5], []], [[1, 1, 7], [3, 7]],
    [[2, 3, 4, 5], [1, 4, 5]], [[2, 3, 4, 5], [2, 1, 1, 5]], [[2, 1, 4, 1], [3, 1, 5]], [[4, 1], [4, 6]],
  ];
  for (const op of ['add', 'mul'] as const) {
    for (const [sa, sb] of cases) {
      it(`${op} of [${sa}] and [${sb}] equals cpu's, bit for bit`, async () => {
        const f = (x: tf.Tensor, y: tf.Tensor) => (op === 'add' ? tf.add(x, y) : tf.mul(x, y));
        const [a, b] = [input(sa, 3), input(sb, 4)];
        const want = await on('cpu', a, b, f);
        const got = await on('wasm', a, b, f);
        assert.deepEqual(got.shape, want.shape);
        assert.deepEqual(got.values, want.values);
      });
    }
  }

  it('leaves int32 to the stock kernel', async () => {
    await tf.setBackend('wasm');
    const y = tf.tidy(() => tf.add(tf.tensor([1, 2, 3], [3], 'int32'), tf.tensor([10, 20, 30], [3], 'int32')).arraySync());
    assert.deepEqual(y, [11, 22, 33]);
  });

  it('runs ReLU\'s gradient as one kernel, matching cpu at zeros, negatives and in odd shapes', async () => {
    for (const shape of [[2, 3, 4, 5], [7], [1, 1, 1, 1]]) {
      // Values in {-1, 0, 1} * magnitude: exact zeros, where the gradient is 0.
      await assertGradsMatch('relu', [input(shape, 5, (v) => Math.round(v * 1.4) * (1 + Math.abs(v)))], (x) => tf.relu(x));
    }
    await tf.setBackend('wasm');
    const x = tf.tensor([-1, 0, 2, 3]);
    const { kernelNames } = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.sum(tf.relu(t)))(x));
    assert.ok(kernelNames.includes(RELU_GRAD) && !kernelNames.includes('Step'), kernelNames.join(', '));
    x.dispose();
  });

  it('keeps tfjs\'s NaN of dy * step(x): NaN in dy stays NaN where x <= 0', async () => {
    await tf.setBackend('wasm');
    // 11 floats: one 8-lane vector and a scalar tail.
    const x = [-1, 0, 1, -1, 0, 1, -2, 0, 1, -1, 0];
    const dy = x.map((v) => (v > 0 ? 2 : NaN));
    const dx = tf.tidy(() => Array.from((tf.engine().runKernel(RELU_GRAD, { x: tf.tensor(x), dy: tf.tensor(dy) }) as tf.Tensor).dataSync()));
    assert.deepEqual(dx, dy);
  });

  it('refuses arrays that do not fit, and tensors of two shapes, leaking nothing', async () => {
    assert.throws(() => native!.binaryRuns(0, new Float32Array(6), new Float32Array(4), new Float32Array(6)), /b's length to divide a's, got 6 and 4/);
    assert.throws(() => native!.binaryRuns(1, new Float32Array(8), new Float32Array(4), new Float32Array(7)), /out has 7 elements, needs 8/);
    assert.throws(() => native!.reluGrad(new Float32Array(5), new Float32Array(4), new Float32Array(5)), /dy has 4 elements, needs 5/);
    await tf.setBackend('wasm');
    const [x, dy] = [tf.zeros([4]), tf.zeros([5])];
    const before = liveCounts();
    assert.throws(() => tf.engine().runKernel(RELU_GRAD, { x, dy }), /x and dy must be float32 of one shape, got float32 \[4\] and float32 \[5\]/);
    assert.deepEqual(liveCounts(), before);
    tf.dispose([x, dy]);
  });
});
