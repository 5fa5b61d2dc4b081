// Every op the NASNet space can emit, and whole cells, train on wasm (with the project's kernels):
// their gradients match the cpu reference on small random shapes.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { buildCell } from '../../src/architectures/nasnet/cell.js';
import { applyOp } from '../../src/architectures/nasnet/ops.js';
import { newCtx } from '../../src/nn/layers.js';
import { ParamStore } from '../../src/nn/params.js';
import { convNd } from '../../src/nn/conv.js';
import { NASNET_A, NASNET_OPS } from '../../src/spaces/nasnet/index.js';
import { assertClose, initBothBackends, input, seeded } from '../tensor/support.js';
import { assertOpGradsMatch } from './op-grads.js';

describe('NASNet ops: gradients on wasm match cpu', () => {
  before(initBothBackends);

  for (const op of NASNET_OPS.filter((o) => o !== 'none')) {
    for (const [stride, cin] of [[1, 4], [2, 4], [1, 6]] as const) {
      it(`${op}, stride ${stride}, ${cin} -> 4 channels`, async () => {
        const shape = await assertOpGradsMatch(op, input([2, 7, 7, cin], 3), (ctx, x) => applyOp(ctx, 'op', op, x, 4, stride));
        assert.deepEqual(shape, [2, stride === 1 ? 7 : 4, stride === 1 ? 7 : 4, 4]);
      });
    }
  }

  it('none gives zeros of the output shape', async () => {
    await tf.setBackend('wasm');
    const y = applyOp(newCtx(new ParamStore(1), true), 'op', 'none', tf.ones([2, 7, 7, 3]) as tf.Tensor4D, 4, 2);
    assert.deepEqual(y.shape, [2, 4, 4, 4]);
    assert.equal(tf.sum(tf.abs(y)).dataSync()[0], 0);
  });

  it('a dilated conv (spread filter) equals tfjs\'s dilated forward conv', async () => {
    await tf.setBackend('cpu');
    const params = new ParamStore(5);
    const x = tf.tensor4d(seeded(2 * 9 * 9 * 3, 4), [2, 9, 9, 3]);
    const y = convNd(newCtx(params, false), 'd', x, { kh: 3, kw: 3, dilation: 2 }, 2);
    const ref = tf.conv2d(x, params.all().get('d/w') as unknown as tf.Tensor4D, 1, 'same', 'NHWC', 2);
    assertClose(y.dataSync(), ref.dataSync(), 'dilated conv');
    tf.dispose([x, y, ref]);
    params.dispose();
  });

  for (const reduction of [false, true]) {
    it(`NASNet-A's ${reduction ? 'reduction' : 'normal'} cell, h_i-1 at twice the resolution`, async () => {
      const prev = input([2, 10, 10, 3], 8);
      const shape = await assertOpGradsMatch('cell', input([2, 5, 5, 4], 7), (ctx, x) => {
        const p = tf.tensor4d(prev.values, prev.shape as [number, number, number, number]);
        return buildCell(ctx, 'c', reduction ? NASNET_A.reduction : NASNET_A.normal, x, p, 4, reduction);
      });
      assert.deepEqual(shape, reduction ? [2, 3, 3, 16] : [2, 5, 5, 24]);
    });
  }
});
