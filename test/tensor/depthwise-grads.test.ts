// DepthwiseConv2dNativeBackpropInput / BackpropFilter (both added) on wasm against the cpu reference.
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { assertClose, assertGradsMatch, gradsOn, initBothBackends, input, seeded } from './support.js';

const cases: { x: number[]; w: number[]; strides: number; pad: 'same' | 'valid' }[] = [
  { x: [2, 7, 7, 3], w: [3, 3, 3, 1], strides: 1, pad: 'same' },
  { x: [2, 7, 7, 3], w: [3, 3, 3, 2], strides: 1, pad: 'same' },
  { x: [2, 7, 6, 2], w: [3, 3, 2, 3], strides: 1, pad: 'valid' },
  { x: [2, 8, 8, 3], w: [3, 3, 3, 1], strides: 2, pad: 'same' },
  { x: [2, 9, 9, 3], w: [3, 3, 3, 2], strides: 2, pad: 'valid' },
  { x: [2, 8, 9, 3], w: [5, 5, 3, 2], strides: 2, pad: 'same' },
  { x: [1, 11, 10, 4], w: [7, 7, 4, 1], strides: 1, pad: 'same' },
  { x: [2, 8, 8, 3], w: [3, 3, 3, 1], strides: 2, pad: 'valid' }, // last input row unused: a crop
];

describe('depthwise conv gradients on wasm match cpu', () => {
  before(initBothBackends);

  for (const c of cases) {
    it(`x ${c.x} w ${c.w} strides ${c.strides} pad ${c.pad}`, async () => {
      await assertGradsMatch('depthwiseConv2d', [input(c.x, 3), input(c.w, 4)], (x, w) =>
        tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad));
    });
  }

  // tf.grad refuses dilations > 1 and the cpu kernels ignore them, so the reference is the gradient of the
  // equivalent undilated convolution whose filter has zeros between its taps.
  it('supports dilations (kernels called directly)', async () => {
    const [kh, kw, ci, m] = [3, 3, 2, 2];
    const xShape: [number, number, number, number] = [2, 9, 8, ci];
    const x = input(xShape, 5);
    const w = input([kh, kw, ci, m], 6);
    const stuffed = new Float32Array(5 * 5 * ci * m);
    for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let k = 0; k < ci * m; k++) {
      stuffed[((2 * i) * 5 + 2 * j) * ci * m + k] = w.values[(i * kw + j) * ci * m + k]!;
    }
    const [dxRef, dwStuffed] = await gradsOn('cpu', [x, { shape: [5, 5, ci, m], values: stuffed }], (a, b) =>
      tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'));
    const dwRef = new Float32Array(kh * kw * ci * m);
    for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let k = 0; k < ci * m; k++) {
      dwRef[(i * kw + j) * ci * m + k] = dwStuffed![((2 * i) * 5 + 2 * j) * ci * m + k]!;
    }

    await tf.setBackend('wasm');
    const xt = tf.tensor(x.values, x.shape);
    const wt = tf.tensor(w.values, w.shape);
    const y = tf.depthwiseConv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, 1, 'same', 'NHWC', 2);
    const dy = tf.tensor(seeded(y.size, 99), y.shape);
    const attrs = { strides: 1, pad: 'same', dilations: 2 };
    const dx = tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter: wt },
      { ...attrs, inputShape: xShape }) as tf.Tensor;
    const dw = tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x: xt, dy },
      { ...attrs, filterShape: [kh, kw, ci, m] }) as tf.Tensor;
    assertClose(dx.dataSync(), dxRef!, 'dilated dx');
    assertClose(dw.dataSync(), dwRef, 'dilated dw');
    tf.dispose([xt, wt, y, dy, dx, dw]);
  });
});
