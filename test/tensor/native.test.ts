// The native (OpenBLAS) kernels: present wherever CI builds them, equal to the cpu reference, safe on
// bad input; and the wasm composite kernels, which they displace, still checked in a child process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { detectionLoss } from '../../src/tasks/detection/loss.js';
import { batchNormTrain, hasFusedBatchNorm, hasFusedFocalLoss, nativeKernels, sigmoidFocalLossSum } from '../../src/tensor/index.js';
import { assertClose, assertGradsMatch, initBothBackends, input, liveCounts } from './support.js';

const native = nativeKernels().kernels;
const requireNative = process.env.TSNAS_NATIVE === 'require';
const skip = native === undefined ? `native kernels unavailable: ${nativeKernels().reason}` : false;

/** The composite BatchNorm (what backends without the fused kernel run): the reference for the fused one. */
function composite(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number) {
  const { mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()]);
  return { y: tf.add(tf.mul(tf.sub(x, mean), tf.mul(gamma, tf.rsqrt(tf.add(variance, eps)))), beta), mean, variance };
}

describe('native kernels', () => {
  before(initBothBackends);

  it('are built and loaded where CI asks for them (TSNAS_NATIVE=require)', { skip: !requireNative && 'TSNAS_NATIVE is not require' }, () => {
    assert.ok(native !== undefined, `native kernels: ${nativeKernels().reason}`);
    assert.equal(tf.getBackend(), 'wasm');
    assert.ok(hasFusedBatchNorm());
  });

  describe('fused training BatchNorm', { skip }, () => {
    // [4, 9, 9, 3] and [2, 12, 12, 16] span two 256-row blocks; 8, 16, 40 and 64 channels take the
    // passes in vector registers, the others the loops over any channel count.
    const shapes = [[4, 5, 5, 3], [2, 3, 17], [64, 8], [4, 9, 9, 3], [2, 12, 12, 16], [3, 5, 5, 40], [2, 3, 3, 64]];
    for (const shape of shapes) {
      it(`matches the composite ops (statistics, output, gradients) for x [${shape}]`, async () => {
        const c = shape.at(-1)!;
        // An offset mean and a spread scale: the one-pass variance must stay accurate.
        const x = input(shape, 1, (v) => 50 + 3 * v);
        const gamma = input([c], 2, (v) => 1 + v);
        const beta = input([c], 3);
        await tf.setBackend('cpu');
        const [xr, gr, br] = [x, gamma, beta].map((i) => tf.tensor(i.values, i.shape));
        const ref = composite(xr!, gr!, br!, 1e-3);
        const want = [ref.y, ref.mean, ref.variance].map((t) => t.dataSync());
        await tf.setBackend('wasm');
        const [xw, gw, bw] = [x, gamma, beta].map((i) => tf.tensor(i.values, i.shape));
        const got = batchNormTrain(xw!, gw as tf.Tensor1D, bw as tf.Tensor1D, 1e-3);
        assertClose(got.mean.dataSync(), want[1]!, 'mean', 1e-6);
        assertClose(got.variance.dataSync(), want[2]!, 'variance', 1e-4);
        assertClose(got.y.dataSync(), want[0]!, 'y', 1e-4);
        tf.dispose([xr!, gr!, br!, ref.y, ref.mean, ref.variance, xw!, gw!, bw!, got.y, got.mean, got.variance]);

        // Gradients: fused on wasm against composite on cpu, through the same weighted sum.
        const fused = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
          tf.getBackend() === 'wasm' ? batchNormTrain(xs, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3).y : composite(xs, g, b, 1e-3).y;
        await assertGradsMatch('batch norm', [x, gamma, beta], fused);
      });
    }

    it('leaves no tensor or buffer behind in a gradient step', async () => {
      await tf.setBackend('wasm');
      const x = tf.randomNormal([8, 4, 4, 6]);
      const gamma = tf.variable(tf.ones([6]));
      const beta = tf.variable(tf.zeros([6]));
      const before = liveCounts();
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(batchNormTrain(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, 1e-3).y)) as tf.Scalar);
      tf.dispose([value, ...Object.values(grads)]);
      assert.deepEqual(liveCounts(), before);
      tf.dispose([x, gamma, beta]);
    });

    it('names a bad per-channel shape', async () => {
      await tf.setBackend('wasm');
      const x = tf.zeros([2, 3, 4]);
      const g = tf.ones([3]);
      assert.throws(() => batchNormTrain(x, g as tf.Tensor1D, g as tf.Tensor1D, 1e-3), /per-channel input has shape \[3\], expected \[4\]/);
      tf.dispose([x, g]);
    });
  });

  describe('fused sigmoid focal loss', { skip }, () => {
    // 2 images x 7 anchors x 3 classes; labels cover every case: classes, background, ignored.
    const labels = Int32Array.from([0, 1, 2, -1, -2, -1, 0, 2, -2, -1, 1, -1, -1, 0]);
    const targets = { labels, boxes: new Float32Array(14 * 4), positives: labels.filter((l) => l >= 0).length };
    const logits = input([2, 7, 3], 11, (v) => 6 * v); // large logits too: the stable forms matter
    const deltas = input([2, 7, 4], 12);

    for (const gamma of [2, 1.5]) {
      it(`matches the composite ops (value and gradient), gamma ${gamma}`, async () => {
        assert.ok(hasFusedFocalLoss());
        const loss = (l: tf.Tensor, d: tf.Tensor) => detectionLoss(l as tf.Tensor3D, d as tf.Tensor3D, targets, 3, 0.25, gamma).total;
        await tf.setBackend('cpu');
        const want = tf.tidy(() => loss(tf.tensor(logits.values, logits.shape), tf.tensor(deltas.values, deltas.shape)).dataSync()[0]!);
        await tf.setBackend('wasm');
        const got = tf.tidy(() => loss(tf.tensor(logits.values, logits.shape), tf.tensor(deltas.values, deltas.shape)).dataSync()[0]!);
        assert.ok(Math.abs(got - want) <= 1e-5 * Math.abs(want), `${got} vs ${want}`);
        await assertGradsMatch('focal loss', [logits, deltas], loss);
      });
    }

    it('matches them with 11 classes (the rows in vectors of 8 and a tail)', async () => {
      const wide = Int32Array.from([10, -1, 3, -2, 0, -1, 7]);
      const t = { labels: wide, boxes: new Float32Array(7 * 4), positives: 4 };
      const l11 = input([1, 7, 11], 13, (v) => 6 * v);
      const d11 = input([1, 7, 4], 14);
      const loss = (l: tf.Tensor, d: tf.Tensor) => detectionLoss(l as tf.Tensor3D, d as tf.Tensor3D, t, 11, 0.25, 2).total;
      await assertGradsMatch('focal loss, 11 classes', [l11, d11], loss);
    });

    it('rejects a label outside -2..classes-1 and a label count that does not fit, leaking nothing', async () => {
      await tf.setBackend('wasm');
      const l = tf.zeros([2, 3]);
      const bad = tf.tensor1d([0, 3], 'int32');
      const short = tf.tensor1d([0], 'int32');
      const before = liveCounts();
      assert.throws(() => sigmoidFocalLossSum(l, bad, 0.25, 2), /a label is outside -2..classes-1/);
      assert.throws(() => sigmoidFocalLossSum(l, short, 0.25, 2), /need one label per row, got 1/);
      assert.deepEqual(liveCounts(), before);
      tf.dispose([l, bad, short]);
    });
  });

  describe('addon', { skip }, () => {
    it('copies runs exactly and refuses runs that would leave an array', () => {
      const src = Float32Array.from({ length: 20 }, (_, i) => i);
      const dst = new Float32Array(13).fill(-1);
      native!.copyRuns(src, dst, Int32Array.of(1, 5, 2, 4, 3, 3)); // 3 runs of 3: src 1,6,11 -> dst 2,6,10
      assert.deepEqual(Array.from(dst), [-1, -1, 1, 2, 3, -1, 6, 7, 8, -1, 11, 12, 13]);
      assert.throws(() => native!.copyRuns(src, dst, Int32Array.of(0, 5, 0, 4, 3, 4)), /dst has 13 elements, needs 15/);
      assert.throws(() => native!.copyRuns(src, dst, Int32Array.of(0, -5, 0, 4, 3, 2)), /copyRuns geometry must be non-negative/);
      assert.throws(() => native!.copyRuns(src, dst, Int32Array.of(0, 1)), /geometry has 2 elements, needs 6/);
    });

    it('throws a clear error instead of touching memory outside a too-short array', () => {
      const geometry = Int32Array.of(1, 4, 4, 2, 3, 3, 2, 4, 4, 1, 1, 1, 1, 1, 1);
      const ok = new Float32Array(32);
      assert.throws(() => native!.convForward(geometry, ok, new Float32Array(35), ok), /second input has 35 elements, needs 36/);
      assert.throws(() => native!.convForward(geometry, ok, new Float32Array(36), new Float32Array(8)), /output has 8 elements, needs 32/);
      assert.throws(() => native!.convForward(Int32Array.of(1, 2), ok, ok, ok), /conv geometry has 2 elements, needs 15/);
      assert.throws(() => native!.maxPoolGrad(new Int32Array(12), ok, ok, ok), /pool geometry has a size outside 1..65536/);
      const huge = Int32Array.from(geometry);
      huge[9] = 1 << 20; // a stride whose index arithmetic could overflow
      assert.throws(() => native!.convForward(huge, ok, new Float32Array(36), ok), /size outside 1..65536/);
    });

    it('chunks im2col and col2im (chunks of 64 KB and 256 KB) without changing the results', async () => {
      // 40x40 outputs x 576-float patches: 1,600 rows, in chunks of 28 (im2col) or 113 (col2im, stride 2).
      for (const stride of [1, 2]) {
        await assertGradsMatch(`chunked conv, stride ${stride}`, [input([1, 40 * stride, 40 * stride, 64], 13), input([3, 3, 64, 2], 14)],
          (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, 'same'));
      }
    });

    it('rejects a filter whose input channels are not the input\'s, allocating nothing', async () => {
      await tf.setBackend('wasm');
      const x = tf.zeros([1, 4, 4, 2]);
      const w = tf.zeros([3, 3, 3, 2]);
      const before = liveCounts();
      assert.throws(() => tf.engine().runKernel(tf.Conv2D, { x, filter: w }, { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 }),
        /the filter has 3 input channels, the input 2/);
      assert.deepEqual(liveCounts(), before);
      tf.dispose([x, w]);
    });

    it('gives the same convolutions and gradients with the direct tiles turned off (A/B runs)', async () => {
      await tf.setBackend('wasm');
      const x = tf.tensor4d(input([2, 12, 16, 8], 6).values, [2, 12, 16, 8]);
      const w = tf.tensor4d(input([3, 3, 8, 16], 7).values, [3, 3, 8, 16]);
      const run = () => tf.tidy(() => {
        const [dx, dw] = tf.grads((a, b) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))))([x, w]);
        return [tf.conv2d(x, w, 1, 'same'), dx!, dw!].map((t) => t.dataSync());
      });
      const built = native!.directConv(true);
      const direct = run();
      assert.equal(native!.directConv(false), false);
      const im2col = run();
      assert.equal(native!.directConv(true), built);
      direct.forEach((d, i) => assertClose(d, im2col[i]!, `output ${i}`, 1e-4));
      assert.throws(() => native!.directConv(1 as unknown as boolean), /directConv takes a boolean/);
      tf.dispose([x, w]);
    });

    it('computes a pointwise and a strided, dilated convolution like the cpu backend', async () => {
      // Direct calls reach the 1x1 (no im2col) path and dilation, which the model never uses.
      // The last: dilated in the direct tiles (AVX-512 and AVX2 builds), its padding on every side.
      for (const c of [{ x: [2, 5, 6, 4], w: [1, 1, 4, 3], s: 1, d: 1 }, { x: [1, 9, 9, 2], w: [3, 3, 2, 3], s: 1, d: 2 }, { x: [2, 12, 13, 6], w: [3, 3, 6, 24], s: 1, d: 2 }]) {
        await tf.setBackend('cpu');
        const xi = input(c.x, 4);
        const wi = input(c.w, 5);
        const [x, w] = [tf.tensor4d(xi.values, c.x as [number, number, number, number]), tf.tensor4d(wi.values, c.w as [number, number, number, number])];
        const want = tf.conv2d(x, w, c.s, 'same', 'NHWC', c.d);
        await tf.setBackend('wasm');
        const [xw, ww] = [tf.tensor4d(xi.values, x.shape), tf.tensor4d(wi.values, w.shape)];
        const got = tf.conv2d(xw, ww, c.s, 'same', 'NHWC', c.d);
        assertClose(got.dataSync(), want.dataSync(), `conv ${JSON.stringify(c)}`);
        tf.dispose([x, w, want, xw, ww, got]);
      }
    });
  });

  it('leaves the wasm composite kernels correct (gradient tests rerun with TSNAS_NATIVE=0)', { skip: native === undefined && 'this run already uses the composites' }, () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const files = ['conv2d-grads.test.js', 'depthwise-grads.test.js', 'max-pool-grad.test.js', 'heap-kernels.test.js', 'train-cnn.test.js', 'adam.test.js'].map((f) => dir + f);
    assert.ok(files.every((f) => existsSync(f)));
    // Without NODE_TEST_CONTEXT, which would make the child skip its files as a nested run.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap', ...files], {
      env: { ...env, TSNAS_NATIVE: '0' }, encoding: 'utf8', timeout: 300_000,
    });
    const output = `${r.stdout}${r.stderr}`;
    assert.equal(r.status, 0, `composite-kernel tests failed:\n${output.slice(-3000)}`);
    const passed = Number(/^# pass (\d+)$/m.exec(r.stdout)?.[1] ?? 0);
    assert.ok(passed >= 10 && /^# fail 0$/m.test(r.stdout), `expected the composite tests to run and pass:\n${output.slice(-3000)}`);
  });
});
