// SplitV on the heap, and Identity / same-dtype Cast sharing data: equal to cpu, no leaks, no aliasing bugs.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { assertGradsMatch, initBothBackends, input, liveCounts } from './support.js';

describe('wasm heap kernels', () => {
  before(initBothBackends);

  for (const c of [{ shape: [2, 7, 3], sizes: [2, 4, 1], axis: 1 }, { shape: [5, 4], sizes: [3, 2], axis: 0 }, { shape: [2, 3, 6], sizes: [1, 5], axis: -1 }]) {
    it(`SplitV of [${c.shape}] into ${c.sizes} on axis ${c.axis} matches cpu, values and concat gradient`, async () => {
      const x = input(c.shape, 7);
      const parts = async (backend: string) => {
        await tf.setBackend(backend);
        const t = tf.tensor(x.values, c.shape);
        const out = tf.split(t, c.sizes, c.axis).map((p) => ({ shape: p.shape, values: Array.from(p.dataSync()) }));
        t.dispose();
        return out;
      };
      assert.deepEqual(await parts('wasm'), await parts('cpu'));
      // The gradient of a concat is a SplitV.
      await assertGradsMatch('concat', [input([2, 3, 4], 1), input([2, 5, 4], 2)], (a, b) => tf.concat([a!, b!], 1));
    });
  }

  it('Identity and same-dtype Cast share data safely and leak nothing', async () => {
    await tf.setBackend('wasm');
    const before = liveCounts();
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.clone(a);
    const c = tf.cast(a, 'float32');
    assert.ok(b.dataId === a.dataId && c.dataId === a.dataId, 'the clone and the cast share the data');
    const d = tf.cast(a, 'int32');
    a.dispose();
    assert.deepEqual(Array.from(b.dataSync()), [1, 2, 3]);
    assert.deepEqual(Array.from(c.dataSync()), [1, 2, 3]);
    assert.equal(d.dtype, 'int32');
    // Sharing is only safe while nothing writes into a buffer in place: assigning to a variable built
    // from a shared clone must leave the source alone (an in-place optimizer update would fail here).
    const v = tf.tidy(() => tf.variable(tf.clone(b)));
    tf.tidy(() => v.assign(tf.tensor1d([9, 9, 9])));
    assert.deepEqual(Array.from(b.dataSync()), [1, 2, 3]);
    tf.dispose([b, c, d, v]);
    assert.deepEqual(liveCounts(), before);
  });
});
