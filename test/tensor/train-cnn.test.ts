// A tiny CNN trains on wasm through the project's kernels: conv -> batch norm -> relu -> max pool ->
// depthwise conv -> dense, Adam, loss going down, no tensors left behind.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/tensor/index.js';
import { liveCounts, seeded } from './support.js';

describe('tiny CNN on wasm', () => {
  before(async () => {
    tf.env().set('IS_TEST', true); // the engine then checks every kernel for leaked buffers
    await initBackend('wasm');
  });

  it('trains with Adam: loss decreases', () => {
    const [batch, size, classes] = [16, 8, 3];
    const x = tf.tensor4d(seeded(batch * size * size, 21), [batch, size, size, 1]);
    const labels = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % classes), 'int32'), classes);
    const v = (shape: number[], seed: number, scale: number): tf.Variable =>
      tf.variable(tf.mul(tf.tensor(seeded(shape.reduce((p, d) => p * d, 1), seed), shape), scale));
    const params = {
      conv: v([3, 3, 1, 8], 22, 0.5),
      gamma: tf.variable(tf.ones([8])),
      beta: tf.variable(tf.zeros([8])),
      dw: v([3, 3, 8, 2], 23, 0.5),
      dense: v([4 * 4 * 16, classes], 24, 0.1),
      bias: tf.variable(tf.zeros([classes])),
    };
    const loss = (): tf.Scalar => {
      const c = tf.conv2d(x, params.conv as tf.Tensor4D, 1, 'same');
      const { mean, variance } = tf.moments(c, [0, 1, 2]);
      const bn = tf.add(tf.mul(tf.div(tf.sub(c, mean), tf.sqrt(tf.add(variance, 1e-5))), params.gamma), params.beta);
      const pooled = tf.maxPool(tf.relu(bn) as tf.Tensor4D, 2, 2, 'same');
      const d = tf.relu(tf.depthwiseConv2d(pooled, params.dw as tf.Tensor4D, 1, 'same'));
      const logits = tf.add(tf.matMul(tf.reshape(d, [batch, -1]), params.dense), params.bias);
      // log-softmax spelled out: tf.logSoftmax's custom gradient trips the engine's IS_TEST leak check.
      return tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.sub(logits, tf.logSumExp(logits, -1, true))), -1))) as tf.Scalar;
    };
    const optimizer = tf.train.adam(0.02);
    const losses: number[] = [];
    const step = (): void => {
      const l = optimizer.minimize(loss, true);
      losses.push(l!.dataSync()[0]!);
      l!.dispose();
    };
    step();
    const live = liveCounts();
    for (let i = 0; i < 11; i++) step();
    assert.deepEqual(liveCounts(), live, 'tensors or buffers leaked across training steps');
    assert.ok(losses.every(Number.isFinite), `non-finite loss: ${losses.join(', ')}`);
    assert.ok(losses[losses.length - 1]! < 0.5 * losses[0]!, `loss did not fall enough: ${losses.join(', ')}`);
    const falls = losses.slice(1).filter((l, i) => l < losses[i]!).length;
    assert.ok(falls >= 8, `loss rose too often: ${losses.join(', ')}`);
    optimizer.dispose();
    tf.dispose([x, labels, ...Object.values(params)]);
  });
});
