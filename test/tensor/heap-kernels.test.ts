// SplitV, Concat and Slice on the heap, and Identity / same-dtype Cast sharing data: equal to cpu, no leaks, no aliasing bugs.
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

  /** `f` on wasm and on cpu: shapes, dtypes and values equal (copies are exact). */
  const sameOnBoth = async (f: () => tf.Tensor) => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const before = liveCounts();
      const t = tf.tidy(f);
      const out = { shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync()) };
      t.dispose();
      assert.deepEqual(liveCounts(), before, `${backend} left tensors behind`);
      return out;
    };
    assert.deepEqual(await run('wasm'), await run('cpu'));
  };
  const t = (shape: number[], seed: number, dtype: 'float32' | 'int32' | 'bool' = 'float32') => {
    const v = input(shape, seed).values;
    if (dtype === 'float32') return tf.tensor(v, shape);
    return dtype === 'bool' ? tf.tensor(Array.from(v, (x) => x > 0), shape, 'bool') : tf.tensor(Array.from(v, (x) => Math.round(x * 100)), shape, 'int32');
  };

  for (const c of [
    { shapes: [[2, 5, 5, 8], [2, 5, 5, 16], [2, 5, 5, 3]], axis: 3 }, // NASNet's channel concat: short runs
    { shapes: [[2, 5, 5, 80], [2, 5, 5, 72]], axis: -1 }, // runs long enough for set()
    { shapes: [[3, 4], [1, 4], [2, 4]], axis: 0 },
    { shapes: [[2, 3, 4], [2, 0, 4], [2, 2, 4]], axis: 1 }, // an empty part is skipped
    { shapes: [[2, 3], [2, 0]], axis: 1 }, // one non-empty part: the stock identity
  ]) {
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      it(`Concat of ${c.shapes.map((s) => `[${s}]`).join(' ')} on axis ${c.axis} (${dtype}) matches cpu`, async () => {
        await sameOnBoth(() => tf.concat(c.shapes.map((s, k) => t(s, k + 1, dtype)), c.axis));
      });
    }
  }

  for (const c of [
    { shape: [2, 29, 29, 8], begin: [0, 1, 1, 0], size: [2, 28, 28, 8] }, // the factorized reduction's shift
    { shape: [3, 6, 5, 4], begin: [1, 2, 0, 1], size: [2, 3, -1, 2] }, // the last axis cut
    { shape: [3, 6, 5, 4], begin: [1, 0, 0, 0], size: [1, -1, -1, -1] }, // contiguous
    { shape: [4, 3, 5, 2, 3], begin: [1, 1, 2, 0, 0], size: [2, 2, 3, 2, 3] }, // rank 5, runs of whole rows
    { shape: [7], begin: [2], size: [4] },
    { shape: [5, 6], begin: [1, 3], size: [3, 2] },
    { shape: [4, 5, 6], begin: [0, 1, 0], size: [4, 0, 6] }, // empty
  ]) {
    for (const dtype of ['float32', 'int32'] as const) {
      it(`Slice of [${c.shape}] at [${c.begin}] size [${c.size}] (${dtype}) matches cpu`, async () => {
        await sameOnBoth(() => tf.slice(t(c.shape, 3, dtype), c.begin, c.size));
      });
    }
  }

  it('the gradients of Concat (SplitV) and Slice (Pad), and of Pad (Slice), match cpu', async () => {
    await assertGradsMatch('concat on channels', [input([2, 4, 4, 8], 1), input([2, 4, 4, 3], 2)], (a, b) => tf.concat([a!, b!], 3));
    await assertGradsMatch('slice', [input([2, 7, 7, 5], 3)], (a) => tf.slice(a!, [0, 1, 1, 0], [2, 6, 6, 5]));
    await assertGradsMatch('pad then slice', [input([2, 7, 7, 5], 4)], (a) => tf.slice(tf.pad(a!, [[0, 0], [0, 1], [0, 1], [0, 0]]), [0, 1, 1, 0], [2, 7, 7, 5]));
  });

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
