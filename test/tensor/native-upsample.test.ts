// The native nearest-neighbour upsampling and its gradient: equal to the composite ops (broadcast
// multiply and reshapes) on the cpu backend, and safe on bad input.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { upsampleNearest } from '../../src/nn/resample.js';
import { hasFusedUpsample, nativeKernels, upsampleNearestFused } from '../../src/tensor/index.js';
import { UPSAMPLE_NEAREST_GRAD } from '../../src/tensor/upsample.js';
import { assertClose, assertGradsMatch, initBothBackends, input, liveCounts } from './support.js';

const native = nativeKernels().kernels;
const skip = native === undefined ? `native kernels unavailable: ${nativeKernels().reason}` : false;

describe('native nearest-neighbour upsampling', { skip }, () => {
  before(initBothBackends);

  // 1x1 maps, odd and non-square sizes, one channel, factors 2..4 (the pyramid's are 2 and 4).
  const cases: [number[], number][] = [[[2, 1, 1, 3], 2], [[1, 3, 5, 2], 2], [[3, 2, 3, 1], 3], [[2, 4, 4, 32], 4], [[1, 5, 1, 7], 2]];
  for (const [shape, f] of cases) {
    it(`matches the composite ops forward and backward for x [${shape}], factor ${f}`, async () => {
      const x = input(shape, 7);
      await tf.setBackend('cpu');
      const ref = tf.tidy(() => upsampleNearest(tf.tensor4d(x.values, shape as [number, number, number, number]), f).dataSync());
      await tf.setBackend('wasm');
      assert.ok(hasFusedUpsample());
      const got = tf.tidy(() => {
        const y = upsampleNearestFused(tf.tensor4d(x.values, shape as [number, number, number, number]), f);
        assert.deepEqual(y.shape, [shape[0], shape[1]! * f, shape[2]! * f, shape[3]]);
        return y.dataSync();
      });
      assertClose(got, ref, 'y', 0);
      await assertGradsMatch('upsample', [x], (t) => upsampleNearest(t as tf.Tensor4D, f));
    });
  }

  it('leaves no tensor or buffer behind in a gradient step', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(input([2, 3, 3, 4], 1).values, [2, 3, 3, 4]);
    const before = liveCounts();
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.square(upsampleNearestFused(t as tf.Tensor4D, 2))))(x);
    g.dispose();
    assert.deepEqual(liveCounts(), before);
    x.dispose();
  });

  it('rejects a factor that is not a positive integer, and a gradient whose map is not a multiple of it', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    const before = liveCounts();
    assert.throws(() => upsampleNearestFused(x, 1.5), /factor must be a positive integer/);
    assert.throws(() => upsampleNearestFused(x, 0), /factor must be a positive integer/);
    const dy = tf.zeros([1, 3, 4, 1]);
    assert.throws(() => tf.engine().runKernel(UPSAMPLE_NEAREST_GRAD, { dy }, { factor: 2 }), /not a multiple of the factor 2/);
    assert.throws(() => native!.upsampleNearest(Int32Array.of(1, 2, 2, 1, 2), new Float32Array(4), new Float32Array(15)), /y has 15 elements, needs 16/);
    dy.dispose();
    assert.deepEqual(liveCounts(), before);
    x.dispose();
  });
});
