// Repeated gradient calls through the project's kernels must not grow live tensors or backend buffers.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBothBackends, input, liveCounts } from './support.js';

const models: [string, (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor][] = [
  ['conv2d s1 same', (x, w) => tf.conv2d(x, w, 1, 'same')],
  ['conv2d s2 valid', (x, w) => tf.conv2d(x, w, 2, 'valid')],
  ['conv2d s3 same (stock input gradient)', (x, w) => tf.conv2d(x, w, 3, 'same')],
  ['depthwise s1 same', (x, w) => tf.depthwiseConv2d(x, tf.reshape(w, [3, 3, 4, 2]), 1, 'same')],
  ['depthwise s2 valid', (x, w) => tf.depthwiseConv2d(x, tf.reshape(w, [3, 3, 4, 2]), 2, 'valid')],
  ['maxPool 3x3 s2 same', (x, w) => tf.maxPool(tf.conv2d(x, w, 1, 'same'), 3, 2, 'same')],
];

describe('no leaks on wasm', () => {
  before(initBothBackends);

  for (const [name, f] of models) {
    it(name, async () => {
      await tf.setBackend('wasm');
      const xIn = input([2, 9, 9, 4], 11);
      const wIn = input([3, 3, 4, 2], 12);
      const x = tf.tensor4d(xIn.values, xIn.shape as [number, number, number, number]);
      const w = tf.tensor4d(wIn.values, wIn.shape as [number, number, number, number]);
      const step = (): void => {
        const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(f(a as tf.Tensor4D, b as tf.Tensor4D)))([x, w]);
        tf.dispose(grads);
      };
      step(); // first call may set up caches
      const before = liveCounts();
      for (let i = 0; i < 5; i++) step();
      assert.deepEqual(liveCounts(), before);
      tf.dispose([x, w]);
    });
  }
});
