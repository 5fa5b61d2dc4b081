// Tensors saved for the backward pass without Identity clones (wasm): same gradients, nothing leaked.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { useDirectSaves } from '../../src/tensor/saved-tensors.js';
import { initBothBackends, input, liveCounts } from './support.js';

/** Gradients of a small conv -> relu -> mul -> sum net with respect to its input and filter. */
function grads(x: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor[] {
  return tf.grads((a: tf.Tensor, b: tf.Tensor) => {
    const y = tf.relu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'));
    return tf.sum(tf.mul(y, tf.sigmoid(y)));
  })([x, w]);
}

describe('saved tensors without Identity clones', () => {
  before(initBothBackends);
  after(() => useDirectSaves(true));

  const xi = input([2, 5, 5, 3], 1);
  const wi = input([3, 3, 3, 4], 2);

  it('gives the gradients of tfjs\'s clones bit for bit, running no Identity kernel', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(xi.values, xi.shape as [number, number, number, number]);
    const w = tf.tensor4d(wi.values, wi.shape as [number, number, number, number]);
    const run = async (direct: boolean) => {
      useDirectSaves(direct);
      const p = await tf.profile(() => grads(x, w));
      const values = (p.result as tf.Tensor[]).map((g) => Array.from(g.dataSync()));
      tf.dispose(p.result as tf.Tensor[]);
      return { values, identities: p.kernelNames.filter((k) => k === tf.Identity).length };
    };
    const cloned = await run(false);
    const direct = await run(true);
    assert.ok(cloned.identities > 0, 'tfjs clones through Identity');
    assert.equal(direct.identities, 0);
    assert.deepEqual(direct.values, cloned.values);
    tf.dispose([x, w]);
  });

  it('frees every saved tensor after the backward pass', async () => {
    await tf.setBackend('wasm');
    useDirectSaves(true);
    const x = tf.tensor4d(xi.values, xi.shape as [number, number, number, number]);
    const w = tf.tensor4d(wi.values, wi.shape as [number, number, number, number]);
    const before = liveCounts();
    for (let i = 0; i < 3; i++) tf.dispose(grads(x, w));
    assert.deepEqual(liveCounts(), before);
    tf.dispose([x, w]);
  });

  it('leaves backends whose Identity is not tsnas\'s on tfjs\'s clones', async () => {
    await tf.setBackend('cpu');
    const x = tf.tensor4d(xi.values, xi.shape as [number, number, number, number]);
    const w = tf.tensor4d(wi.values, wi.shape as [number, number, number, number]);
    const p = await tf.profile(() => grads(x, w));
    assert.ok(p.kernelNames.includes(tf.Identity));
    tf.dispose([...(p.result as tf.Tensor[]), x, w]);
    await tf.setBackend('wasm');
  });
});
