// The native AvgPoolGrad against the cpu backend on small random shapes, the odd geometries included;
// its argument checks; NASNet-A's cells' gradients with and without it; and the native MaxPoolGrad's
// channel blocks (16, 8, 4, then 1 at a time) on ties.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { installedBy } from '../../src/tensor/kernels/tags.js';
import { displacedByNative, nativeKernels } from '../../src/tensor/native/index.js';
import { assertCellGradsWithAndWithout } from './native-support.js';
import { assertClose, assertGradsMatch, initBothBackends, input, liveCounts, seeded } from './support.js';

const native = nativeKernels().kernels;
const skip = native === undefined ? `native kernels unavailable: ${nativeKernels().reason}`
  : typeof native.avgPoolGrad !== 'function' ? 'the addon predates the average-pool gradient (npm run build:native)' : false;

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
interface Case {
  label: string;
  x: [number, number, number, number];
  size: number | [number, number];
  strides: number | [number, number];
  pad: Pad;
}

const CASES: Case[] = [
  { label: '3x3 stride 1 same (NASNet\'s)', x: [2, 7, 7, 8], size: 3, strides: 1, pad: 'same' },
  { label: '3x3 stride 2 same on an even size (padding after only)', x: [2, 8, 8, 16], size: 3, strides: 2, pad: 'same' },
  { label: '2x2 stride 2 same on an odd size (asymmetric)', x: [2, 9, 7, 3], size: 2, strides: 2, pad: 'same' },
  { label: '3x3 stride 2 valid on an odd size', x: [2, 9, 9, 5], size: 3, strides: 2, pad: 'valid' },
  { label: 'a 3x2 window, strides [1, 2], valid', x: [1, 6, 7, 4], size: [3, 2], strides: [1, 2], pad: 'valid' },
  { label: 'explicit asymmetric padding', x: [2, 5, 6, 3], size: 3, strides: 1, pad: [[0, 0], [2, 0], [0, 1], [0, 0]] },
  { label: 'numeric padding 1, stride 2', x: [1, 6, 6, 2], size: 3, strides: 2, pad: 1 },
  { label: 'stride larger than the window (uncovered pixels)', x: [1, 7, 7, 3], size: 2, strides: 3, pad: 'valid' },
  { label: '1x1 maps, 3x3 same', x: [3, 1, 1, 5], size: 3, strides: 1, pad: 'same' },
  { label: '1x1 maps, stride 2', x: [2, 1, 1, 4], size: 3, strides: 2, pad: 'same' },
  { label: 'a window larger than the map', x: [1, 3, 2, 3], size: 5, strides: 1, pad: 'same' },
];

/** The kernel on `backend` through the engine: dx of an average pool for a seeded dy. */
async function avgPoolGradOn(backend: string, c: Case, dyShape: number[]): Promise<Float32Array> {
  await tf.setBackend(backend);
  const dy = tf.tensor(seeded(dyShape.reduce((a, b) => a * b, 1), 99), dyShape);
  const x = tf.zeros(c.x);
  const dx = tf.engine().runKernel(tf.AvgPoolGrad, { dy, input: x }, { filterSize: c.size, strides: c.strides, pad: c.pad }) as tf.Tensor;
  const values = dx.dataSync() as Float32Array;
  tf.dispose([dy, x, dx]);
  return values;
}

describe('native AvgPoolGrad', { skip }, () => {
  before(initBothBackends);

  it('is the registered wasm kernel, having displaced the stock one', () => {
    const k = tf.getKernel(tf.AvgPoolGrad, 'wasm');
    assert.ok(k !== undefined && installedBy.get(k.kernelFunc) === 'native', 'AvgPoolGrad is not the native kernel');
    assert.ok(displacedByNative(tf.AvgPoolGrad) !== undefined, 'AvgPoolGrad displaced nothing');
  });

  for (const c of CASES) {
    it(`matches the cpu backend: ${c.label}`, async () => {
      const pool = (x: tf.Tensor) => tf.avgPool(x as tf.Tensor4D, c.size, c.strides, c.pad);
      await assertGradsMatch(c.label, [input(c.x, 3)], pool);
      // The kernel on its own too: tf.avgPool's gradient takes no explicit padding path of its own.
      await tf.setBackend('cpu');
      const yShape = tf.tidy(() => pool(tf.zeros(c.x)).shape);
      assertClose(await avgPoolGradOn('wasm', c, yShape), await avgPoolGradOn('cpu', c, yShape), `${c.label}: kernel`);
    });
  }

  it('rejects dy of the wrong shape, allocating nothing', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 6, 6, 2]);
    const dy = tf.zeros([1, 6, 6, 2]);
    const before = liveCounts();
    assert.throws(() => tf.engine().runKernel(tf.AvgPoolGrad, { dy, input: x }, { filterSize: 3, strides: 2, pad: 'same' }),
      /dy has shape \[1,6,6,2\], expected \[1,3,3,2\]/);
    assert.deepEqual(liveCounts(), before);
    tf.dispose([x, dy]);
  });

  it('the addon refuses a short array and a non-positive size', () => {
    // [n,h,w,c, oh,ow, kh,kw, sh,sw, padTop,padLeft]
    const g = Int32Array.of(1, 4, 4, 2, 2, 2, 3, 3, 2, 2, 0, 0);
    assert.throws(() => native!.avgPoolGrad(g, new Float32Array(7), new Float32Array(32)), /dy has 7 elements, needs 8/);
    assert.throws(() => native!.avgPoolGrad(g, new Float32Array(8), new Float32Array(31)), /dx has 31 elements, needs 32/);
    g[8] = 0;
    assert.throws(() => native!.avgPoolGrad(g, new Float32Array(8), new Float32Array(32)), /pool geometry has a size outside/);
  });

  for (const reduction of [false, true]) {
    it(`gives NASNet-A's ${reduction ? 'reduction' : 'normal'} cell the cpu backend's gradients, as the stock kernel does`, async () => {
      await assertCellGradsWithAndWithout([tf.AvgPoolGrad], reduction, 'AvgPoolGrad');
    });
  }
});

const MAX_CASES: Omit<Case, 'label'>[] = [
  { x: [2, 9, 8, 21], size: 3, strides: 2, pad: 'same' },
  { x: [2, 7, 7, 16], size: 3, strides: 1, pad: 'same' },
  { x: [1, 6, 7, 12], size: 3, strides: 2, pad: 'valid' },
  { x: [2, 5, 5, 8], size: [2, 3], strides: [1, 2], pad: [[0, 0], [1, 0], [0, 2], [0, 0]] },
];

describe('native MaxPoolGrad', { skip: native === undefined ? `native kernels unavailable: ${nativeKernels().reason}` : false }, () => {
  before(initBothBackends);

  for (const c of MAX_CASES) {
    // Few distinct values (and all-zero windows, as after a ReLU): each window's dy goes to its first maximum.
    it(`matches the cpu backend on ties: x ${c.x}, ${String(c.size)} window, strides ${String(c.strides)}, pad ${JSON.stringify(c.pad)}`, async () => {
      await assertGradsMatch('maxPool ties', [input(c.x, 5, (v) => Math.max(0, Math.round(v * 2)))], (x) =>
        tf.maxPool(x as tf.Tensor4D, c.size, c.strides, c.pad));
    });
  }
});
