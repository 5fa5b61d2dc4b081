// The native depthwise kernels (forward and both gradients) against the cpu backend on small random
// shapes, the odd geometries included; their argument checks; and a NASNet-A cell's gradients with
// and without them.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { dilateFilter } from '../../src/nn/dilate.js';
import { installedBy } from '../../src/tensor/kernels/tags.js';
import { displacedByNative, nativeKernels } from '../../src/tensor/native/index.js';
import { assertCellGradsWithAndWithout } from './native-support.js';
import { assertClose, initBothBackends, input, liveCounts, seeded, type Input } from './support.js';

const native = nativeKernels().kernels;
const skip = native === undefined ? `native kernels unavailable: ${nativeKernels().reason}`
  : typeof native.depthwiseForward !== 'function' ? 'the addon predates the depthwise kernels (npm run build:native)' : false;
const NAMES = [tf.DepthwiseConv2dNative, tf.DepthwiseConv2dNativeBackpropFilter, tf.DepthwiseConv2dNativeBackpropInput];

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface Case {
  label: string;
  x: [number, number, number, number];
  /** [kh, kw, ci, M] */
  f: [number, number, number, number];
  strides: [number, number];
  pad: Pad;
  dilation?: number;
}

const CASES: Case[] = [
  { label: '3x3 same, 3 channels', x: [2, 7, 7, 3], f: [3, 3, 3, 1], strides: [1, 1], pad: 'same' },
  { label: 'stride 2 on an odd size (asymmetric same padding), 8 channels', x: [2, 9, 9, 8], f: [5, 5, 8, 1], strides: [2, 2], pad: 'same' },
  { label: 'strides [1, 2], valid, 16 channels', x: [1, 8, 7, 16], f: [3, 3, 16, 1], strides: [1, 2], pad: 'valid' },
  { label: 'explicit asymmetric padding, a 3x2 filter', x: [2, 6, 5, 3], f: [3, 2, 3, 1], strides: [1, 1], pad: [[0, 0], [2, 0], [0, 1], [0, 0]] },
  { label: '1x1 maps, a 3x3 filter', x: [3, 1, 1, 5], f: [3, 3, 5, 1], strides: [1, 1], pad: 'same' },
  { label: '1x1 maps, stride 2', x: [2, 1, 1, 4], f: [3, 3, 4, 1], strides: [2, 2], pad: 'same' },
  { label: 'dilation 2', x: [2, 9, 9, 3], f: [3, 3, 3, 1], strides: [1, 1], pad: 'same', dilation: 2 },
  { label: 'dilation 2 with stride 2, valid', x: [1, 11, 10, 2], f: [3, 3, 2, 1], strides: [2, 2], pad: 'valid', dilation: 2 },
  { label: 'channel multiplier 2', x: [2, 6, 6, 3], f: [3, 3, 3, 2], strides: [1, 1], pad: 'same' },
  { label: 'channel multiplier 3, stride 2, 7x7', x: [2, 7, 7, 2], f: [7, 7, 2, 3], strides: [2, 2], pad: 'same' },
];

const tensor = (i: Input) => tf.tensor(i.values, i.shape);

/**
 * The reference on cpu: the forward conv and the gradients of sum(y * dy) through tf.grads. A
 * dilated case convolves with the spread filter instead (tfjs has no gradient for a dilated depthwise
 * conv, and the cpu backprop kernels ignore dilation), which is the same convolution.
 */
async function reference(c: Case, x: Input, f: Input): Promise<{ y: Float32Array; dy: Input; dx: Float32Array; df: Float32Array }> {
  await tf.setBackend('cpu');
  const d = c.dilation ?? 1;
  const conv = (xs: tf.Tensor, fs: tf.Tensor) => tf.depthwiseConv2d(xs as tf.Tensor4D, dilateFilter(fs as tf.Tensor4D, d), c.strides, c.pad);
  const [xt, ft] = [tensor(x), tensor(f)];
  const yt = conv(xt, ft);
  const dy = { shape: yt.shape, values: seeded(yt.size, 99) };
  const dyt = tensor(dy);
  const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), dyt)))([xt, ft]);
  const out = { y: yt.dataSync() as Float32Array, dy, dx: dx!.dataSync() as Float32Array, df: df!.dataSync() as Float32Array };
  tf.dispose([xt, ft, yt, dyt, dx!, df!]);
  return out;
}

/** One kernel on wasm through the engine (so the registered, native kernel runs), its output read back. */
function runWasm(name: string, inputs: Record<string, Input>, attrs: object): Float32Array {
  const ts = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tensor(v)]));
  const y = tf.engine().runKernel(name, ts, attrs as tf.NamedAttrMap) as tf.Tensor;
  const values = y.dataSync() as Float32Array;
  tf.dispose([y, ...Object.values(ts)]);
  return values;
}

describe('native depthwise kernels', { skip }, () => {
  before(initBothBackends);

  it('are the registered wasm kernels, each having displaced the one it falls back to', () => {
    for (const name of NAMES) {
      const k = tf.getKernel(name, 'wasm');
      assert.ok(k !== undefined && installedBy.get(k.kernelFunc) === 'native', `${name} is not the native kernel`);
      assert.ok(displacedByNative(name) !== undefined, `${name} displaced nothing`);
    }
  });

  for (const c of CASES) {
    it(`match the cpu backend: ${c.label}`, async () => {
      const x = input(c.x, 1);
      const f = input(c.f, 2);
      const ref = await reference(c, x, f);
      await tf.setBackend('wasm');
      const attrs = { strides: c.strides, pad: c.pad, dilations: c.dilation ?? 1, dataFormat: 'NHWC' };
      assertClose(runWasm(tf.DepthwiseConv2dNative, { x, filter: f }, attrs), ref.y, `${c.label}: y`);
      assertClose(runWasm(tf.DepthwiseConv2dNativeBackpropInput, { dy: ref.dy, filter: f }, { ...attrs, inputShape: c.x }), ref.dx, `${c.label}: dx`);
      assertClose(runWasm(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy: ref.dy }, { ...attrs, filterShape: c.f }), ref.df, `${c.label}: dFilter`);
    });
  }

  it('rejects a filter whose channels are not the input\'s, and dy of the wrong shape, allocating nothing', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 5, 5, 2]);
    const w = tf.zeros([3, 3, 3, 1]);
    const dy = tf.zeros([1, 4, 4, 2]);
    const attrs = { strides: 1, pad: 'same', dilations: 1, dataFormat: 'NHWC' };
    const before = liveCounts();
    assert.throws(() => tf.engine().runKernel(tf.DepthwiseConv2dNative, { x, filter: w }, attrs), /the filter has 3 input channels, the input 2/);
    assert.throws(() => tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, { ...attrs, filterShape: [3, 3, 2, 1] }),
      /dy has shape \[1,4,4,2\], expected \[1,5,5,2\]/);
    assert.deepEqual(liveCounts(), before);
    tf.dispose([x, w, dy]);
  });

  it('the addon refuses a depthwise geometry whose output channels are not a multiple of the input\'s, and a short array', () => {
    // [n,h,w,ci, kh,kw,co, oh,ow, sh,sw, dh,dw, top,left]
    const g = Int32Array.of(1, 4, 4, 2, 3, 3, 3, 4, 4, 1, 1, 1, 1, 1, 1);
    const big = new Float32Array(64);
    assert.throws(() => native!.depthwiseForward(g, big, big, big), /output channels not a multiple of the input's/);
    g[6] = 4; // M = 2: the filter needs 3*3*4 floats
    assert.throws(() => native!.depthwiseBackpropInput(g, big, new Float32Array(35), big), /second input has 35 elements, needs 36/);
  });

  for (const reduction of [false, true]) {
    it(`give NASNet-A's ${reduction ? 'reduction' : 'normal'} cell the cpu backend's gradients, as the kernels they displace do`, async () => {
      await assertCellGradsWithAndWithout(NAMES, reduction, 'depthwise kernels');
    });
  }
});
