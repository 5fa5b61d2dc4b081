// The native Sum over adjacent axes: bit for bit the cpu backend's (it adds in the same order), for
// leading, middle, trailing and all axes, keepDims, negative axes and empty dimensions; other sums
// (axes with gaps, int32) go to the stock kernel.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { nativeKernels } from '../../src/tensor/index.js';
import { initBothBackends, input, liveCounts } from './support.js';

const native = nativeKernels().kernels;
const skip = native === undefined ? `native kernels unavailable: ${nativeKernels().reason}` : false;

async function sumOn(backend: string, x: { shape: number[]; values: Float32Array }, axis: number | number[] | undefined,
  keepDims: boolean): Promise<{ shape: number[]; values: number[] }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const y = tf.sum(tf.tensor(x.values, x.shape), axis, keepDims);
    return { shape: y.shape, values: Array.from(y.dataSync()) };
  });
}

describe('native Sum', { skip }, () => {
  before(initBothBackends);

  const cases: [number[], number | number[] | undefined, boolean][] = [
    [[4, 5, 6, 7], [0, 1, 2], false], // a bias gradient over NHWC
    [[4, 5, 6, 7], [1, 2], false], // a global pool
    [[4, 5, 6, 7], [1, 2], true],
    [[4, 5, 6, 7], [2, 1], false], // axes in any order
    [[4, 5, 6, 7], 3, false], // the last axis: one run per output
    [[4, 5, 6, 7], [-1, -2], true],
    [[4, 5, 6, 7], undefined, false], // every axis
    [[3, 1, 1, 9], [1, 2], false], // 1x1 maps
    [[1000, 3], 0, false], // a long reduction
    [[2, 0, 3], 1, false], // an empty reduced dimension: zeros
    [[0, 4], 1, true], // no outputs
    [[5], 0, false],
  ];
  for (const [shape, axis, keepDims] of cases) {
    it(`sum of [${shape}] over ${JSON.stringify(axis)}${keepDims ? ', keepDims' : ''} equals cpu's, bit for bit`, async () => {
      const x = input(shape, 5);
      const want = await sumOn('cpu', x, axis, keepDims);
      const got = await sumOn('wasm', x, axis, keepDims);
      assert.deepEqual(got.shape, want.shape);
      assert.deepEqual(got.values, want.values);
    });
  }

  it('leaves axes with gaps and int32 to the stock kernel, with the same results', async () => {
    const x = input([3, 4, 5, 2], 6);
    const want = await sumOn('cpu', x, [0, 2], false);
    const got = await sumOn('wasm', x, [0, 2], false);
    assert.deepEqual(got.shape, want.shape);
    got.values.forEach((v, i) => assert.ok(Math.abs(v - want.values[i]!) < 1e-5, `element ${i}`));
    await tf.setBackend('wasm');
    assert.deepEqual(tf.tidy(() => tf.sum(tf.tensor([[1, 2], [3, 4]], [2, 2], 'int32'), 0).arraySync()), [4, 6]);
  });

  it('refuses arrays shorter than the shape, and leaves nothing behind', async () => {
    await tf.setBackend('wasm');
    const before = liveCounts();
    assert.throws(() => native!.sumAxes(new Float32Array(11), Int32Array.of(2, 3, 2), new Float32Array(4)), /x has 11 elements, needs 12/);
    assert.throws(() => native!.sumAxes(new Float32Array(12), Int32Array.of(2, 3, 2), new Float32Array(3)), /out has 3 elements, needs 4/);
    assert.throws(() => native!.sumAxes(new Float32Array(12), Int32Array.of(2, -3, 2), new Float32Array(4)), /must be non-negative/);
    const z = tf.zeros([2, 3]);
    assert.throws(() => tf.sum(z, 2), /must be in range \[-2, 2\) but got axis 2/);
    z.dispose();
    assert.deepEqual(liveCounts(), before);
  });
});
