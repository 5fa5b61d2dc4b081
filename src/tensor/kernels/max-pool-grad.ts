import * as tf from '@tensorflow/tfjs-core';
import { assertShape } from './geometry.js';
import { filled, heapViews, isWasmHeapBackend } from './heap.js';
import { inputsOf } from './scope.js';

/** The window loop: dx (zeroed by it) gets each window's dy at its maximum (the native kernels pass their own). */
export type MaxPoolScatter = (x: Float32Array, dy: Float32Array, dx: Float32Array, info: tf.backend_util.Conv2DInfo) => void;

/**
 * MaxPoolGrad, replacing wasm's stock kernel (~20x a max pool). Unlike the convolutions this one is a
 * plain loop, because no mix of wasm's fast ops reproduces TensorFlow's rule (the whole dy of a window
 * goes to its first maximum in row-major order; NaN never wins): wasm's MaxPoolWithArgmax keeps the
 * last maximum and starts from the smallest positive float, so windows with no positive value go wrong.
 * One pass per window over the input, on the wasm heap; dx is written in place there. The loop is
 * JavaScript here; the native kernels bring the same loop in C++.
 */
export function maxPoolGradConfig(backendName: string, stock?: tf.KernelConfig, scatter: MaxPoolScatter = scatterToFirstMax): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, input } = inputsOf(tf.MaxPoolGrad, inputs, ['dy', 'input']);
    if (!isWasmHeapBackend(backend) || input.dtype !== 'float32') {
      if (stock !== undefined) return stock.kernelFunc(args);
      throw new Error(`tsnas ${tf.MaxPoolGrad}: needs the wasm backend and float32 input`);
    }
    const a = attrs as unknown as tf.MaxPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    assertShape(tf.MaxPoolGrad, 'dy', dy.shape, info.outShape);
    const { outputs, ins, outs } = heapViews(backend, [input, dy], [input.shape]);
    return filled(backend, outputs, () => scatter(ins[0]!, ins[1]!, outs[0]!, info))[0]!;
  };
  return { kernelName: tf.MaxPoolGrad, backendName, kernelFunc, setupFunc: stock?.setupFunc };
}

/** dx (zeroed here) gets each window's dy at the window's first maximum. */
function scatterToFirstMax(x: Float32Array, dy: Float32Array, dx: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  dx.fill(0);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: kh, effectiveFilterWidth: kw } = info;
  const best = new Float32Array(c);
  const where = new Int32Array(c);
  let o = 0; // flat index into dy, in NHWC order
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      const r0 = i * sh - info.padInfo.top;
      const rStart = Math.max(0, r0);
      const rEnd = Math.min(h, r0 + kh);
      for (let j = 0; j < ow; j++) {
        const c0 = j * sw - info.padInfo.left;
        const cStart = Math.max(0, c0);
        const cEnd = Math.min(w, c0 + kw);
        for (let k = 0; k < c; k++) {
          best[k] = Number.NEGATIVE_INFINITY;
          where[k] = -1;
        }
        for (let r = rStart; r < rEnd; r++) {
          for (let q = cStart; q < cEnd; q++) {
            const base = ((b * h + r) * w + q) * c;
            for (let k = 0; k < c; k++) {
              const v = x[base + k]!;
              if (v > best[k]!) {
                best[k] = v;
                where[k] = base + k;
              }
            }
          }
        }
        for (let k = 0; k < c; k++, o++) {
          const p = where[k]!;
          if (p >= 0) dx[p] += dy[o]!;
        }
      }
    }
  }
}
