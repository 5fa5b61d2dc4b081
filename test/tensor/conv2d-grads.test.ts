// Conv2D (native), Conv2DBackpropFilter (added) and Conv2DBackpropInput (replaced) on wasm against the cpu reference.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { assertGradsMatch, assertValuesMatch, initBothBackends, input } from './support.js';

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

const cases: { x: number[]; w: number[]; strides: number | [number, number]; pad: Pad }[] = [
  { x: [2, 7, 7, 3], w: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [2, 7, 7, 3], w: [3, 3, 3, 4], strides: 1, pad: 'valid' },
  { x: [2, 8, 8, 3], w: [3, 3, 3, 5], strides: 2, pad: 'same' },
  { x: [2, 9, 8, 2], w: [3, 3, 2, 4], strides: 2, pad: 'valid' },
  { x: [2, 8, 8, 2], w: [3, 3, 2, 4], strides: 2, pad: 'valid' }, // last input row unused: a crop
  { x: [1, 9, 11, 3], w: [5, 5, 3, 2], strides: 2, pad: 'same' },
  { x: [3, 6, 5, 4], w: [1, 1, 4, 6], strides: 1, pad: 'same' },
  { x: [2, 7, 6, 3], w: [1, 3, 3, 5], strides: 1, pad: 'same' },
  { x: [2, 7, 6, 3], w: [3, 1, 3, 5], strides: [2, 1], pad: 'same' },
  { x: [2, 10, 11, 2], w: [5, 5, 2, 3], strides: 3, pad: 'same' }, // stride 3: stock input gradient
  { x: [2, 7, 6, 3], w: [3, 2, 3, 5], strides: [2, 1], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [1, 9, 9, 2], w: [3, 3, 2, 3], strides: 2, pad: 1 },
  // 1x1 with padding after the input only: the output grid is larger than the input's.
  { x: [2, 5, 6, 3], w: [1, 1, 3, 4], strides: 1, pad: [[0, 0], [0, 1], [0, 2], [0, 0]] },
  // Native paths by channels: up to 4 input channels (the cases above) run the thin loops, 16 output
  // channels a vector, the rest scalar, rows 4 at a time (35 rows: 3 left over); more run im2col +
  // gemm; the input gradient at stride 1 is the forward conv with the turned filter.
  { x: [1, 7, 5, 1], w: [3, 3, 1, 40], strides: 1, pad: 'same' },
  { x: [2, 6, 6, 2], w: [3, 3, 2, 16], strides: 2, pad: 'same' },
  { x: [2, 7, 7, 6], w: [3, 3, 6, 20], strides: 1, pad: 'same' },
  { x: [2, 9, 8, 5], w: [3, 2, 5, 4], strides: 1, pad: [[0, 0], [2, 0], [1, 1], [0, 0]] },
  { x: [2, 9, 9, 8], w: [3, 3, 8, 5], strides: 2, pad: 'same' },
  // The direct tiles (conv-direct.cc, with AVX-512 or AVX2): output channels a multiple of 8 on maps at least
  // 8 wide; AVX-512: 32 / 16 channels a 16-lane tile (8 / 16 pixels; 12 / 16 input channels a filter-gradient
  // tile), a last 24 / 8 an 8-lane one (8 input channels); AVX2: 16 / 8 channels in 8 lanes (6 / 12
  // pixels, 4 / 8 the 3-tap tile's; 4 / 8 input channels), each width's last pixels and the last input
  // channels a narrower tile; x padded or read in place ('valid'); 3-wide stride-1 filters by the
  // tile that reads each input float once for its 3 taps, other widths and strides by the generic one. With
  // 8k input channels a strided input gradient runs by phases, written in place where the phase is 8
  // wide (odd sizes: phases of unequal sizes; 1x1 stride 2: three phases without taps).
  { x: [2, 10, 9, 5], w: [3, 3, 5, 24], strides: 1, pad: 'same' },
  { x: [2, 17, 18, 8], w: [3, 3, 8, 16], strides: 2, pad: 'same' },
  { x: [1, 6, 20, 9], w: [3, 3, 9, 40], strides: 1, pad: 'valid' },
  { x: [1, 5, 19, 17], w: [2, 3, 17, 56], strides: [1, 2], pad: [[0, 0], [1, 0], [2, 1], [0, 0]] },
  { x: [3, 8, 17, 8], w: [1, 1, 8, 8], strides: 2, pad: 'valid' },
  { x: [2, 9, 15, 8], w: [3, 3, 8, 16], strides: 2, pad: 'same' }, // phases 8 and 7 wide: one in place, one spread
  { x: [1, 19, 33, 16], w: [5, 5, 16, 8], strides: [2, 2], pad: 'same' },
  { x: [2, 6, 21, 17], w: [3, 3, 17, 48], strides: 1, pad: 'same' },
  { x: [1, 5, 40, 30], w: [3, 3, 30, 32], strides: 1, pad: 'same' },
  { x: [1, 4, 9, 25], w: [3, 3, 25, 64], strides: 1, pad: 'same' },
  { x: [3, 20, 20, 8], w: [3, 3, 8, 16], strides: 1, pad: 'same' }, // filter gradient by groups of 2 images: borders zeroed once
  // Inputs of 1 and 3 channels (images): the forward conv in the tiles, the filter gradient in the thin loops.
  { x: [2, 12, 17, 1], w: [3, 3, 1, 16], strides: 2, pad: 'same' },
  { x: [1, 9, 10, 3], w: [3, 3, 3, 8], strides: 1, pad: 'same' },
];

describe('conv2d gradients on wasm match cpu', () => {
  before(initBothBackends);

  for (const c of cases) {
    it(`x ${c.x} w ${c.w} strides ${String(c.strides)} pad ${JSON.stringify(c.pad)}`, async () => {
      const conv = (x: tf.Tensor, w: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad);
      await assertValuesMatch('conv2d', [input(c.x, 1), input(c.w, 2)], conv);
      await assertGradsMatch('conv2d', [input(c.x, 1), input(c.w, 2)], conv);
    });
  }

  it('rejects NCHW instead of computing wrong numbers', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 2, 5, 5]);
    const dy = tf.zeros([1, 3, 5, 5]);
    assert.throws(
      () => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, {
        strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3],
      }),
      /only dataFormat 'NHWC'/,
    );
    tf.dispose([x, dy]);
  });
});
