// MaxPoolGrad (replaced) on wasm against the cpu reference, ties included.
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { assertGradsMatch, initBothBackends, input } from './support.js';

const cases: { x: number[]; size: number; strides: number; pad: 'same' | 'valid' }[] = [
  { x: [2, 8, 8, 3], size: 2, strides: 2, pad: 'same' },
  { x: [2, 7, 9, 3], size: 2, strides: 2, pad: 'same' },
  { x: [2, 7, 9, 3], size: 2, strides: 2, pad: 'valid' },
  { x: [2, 7, 7, 2], size: 3, strides: 1, pad: 'same' },
  { x: [2, 9, 8, 2], size: 3, strides: 2, pad: 'same' },
  { x: [2, 9, 9, 2], size: 3, strides: 2, pad: 'valid' },
  { x: [1, 9, 9, 2], size: 5, strides: 1, pad: 'same' },
  // Channels in 8s: 8 at a time in vector registers (NASNet's 3x3 stride 1, the detector's stride 2).
  { x: [2, 7, 7, 8], size: 3, strides: 1, pad: 'same' },
  { x: [2, 9, 8, 16], size: 3, strides: 2, pad: 'same' },
  { x: [1, 5, 5, 24], size: 2, strides: 2, pad: 'valid' },
];

describe('maxPool gradient on wasm matches cpu', () => {
  before(initBothBackends);

  for (const c of cases) {
    it(`x ${c.x} ${c.size}x${c.size} strides ${c.strides} pad ${c.pad}`, async () => {
      await assertGradsMatch('maxPool', [input(c.x, 7)], (x) =>
        tf.maxPool(x as tf.Tensor4D, c.size, c.strides, c.pad));
    });
    // Few distinct values (and all-zero windows, as after a ReLU): the gradient must go to the first
    // maximum of each window, as TensorFlow does, not to every tied one.
    it(`ties: x ${c.x} ${c.size}x${c.size} strides ${c.strides} pad ${c.pad}`, async () => {
      await assertGradsMatch('maxPool ties', [input(c.x, 8, (v) => Math.max(0, Math.round(v * 2)))], (x) =>
        tf.maxPool(x as tf.Tensor4D, c.size, c.strides, c.pad));
    });
  }
});
