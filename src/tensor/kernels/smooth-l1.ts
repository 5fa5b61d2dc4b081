import type * as tf from '@tensorflow/tfjs-core';
import { SMOOTH_L1_LOSS, type SmoothL1Attrs } from '../smooth-l1.js';
import { filled, heapViews, isWasmHeapBackend } from './heap.js';
import { inputsOf } from './scope.js';

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/**
 * The weighted smooth-L1 sum and its gradient (src/tensor/smooth-l1.ts) in one JavaScript pass on the
 * wasm heap. The gradient is the composite's, ties included: d/dd is d / beta up to |d| = beta (where
 * it is sign(d)), then sign(d), and 0 at d = 0.
 */
export function smoothL1Config(backendName: string): tf.KernelConfig {
  return {
    kernelName: SMOOTH_L1_LOSS, backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { deltas, targets, weights } = inputsOf(SMOOTH_L1_LOSS, inputs, ['deltas', 'targets', 'weights']);
      if (!isWasmHeapBackend(backend)) throw new Error(`tsnas ${SMOOTH_L1_LOSS}: needs the wasm backend`);
      const { beta } = attrs as unknown as SmoothL1Attrs;
      if (!(beta > 0)) throw new Error(`tsnas ${SMOOTH_L1_LOSS}: beta must be positive, got ${beta}`);
      const width = deltas!.shape[deltas!.shape.length - 1] ?? 0;
      const rows = width === 0 ? 0 : size(deltas!.shape) / width;
      if ([deltas, targets, weights].some((t) => t!.dtype !== 'float32') || deltas!.shape.join() !== targets!.shape.join() ||
        deltas!.shape.length < 2 || size(weights!.shape) !== rows) {
        throw new Error(`tsnas ${SMOOTH_L1_LOSS}: needs float32 deltas and targets of one shape [..., width] and one weight per row; ` +
          `got [${deltas!.shape.join(',')}], [${targets!.shape.join(',')}], [${weights!.shape.join(',')}]`);
      }
      const { outputs, ins, outs } = heapViews(backend, [deltas!, targets!, weights!], [[], deltas!.shape]);
      const [d, t, w] = ins as [Float32Array, Float32Array, Float32Array];
      const [sum, gradient] = outs as [Float32Array, Float32Array];
      return filled(backend, outputs, () => {
        let total = 0;
        for (let r = 0, i = 0; r < rows; r++) {
          const weight = w[r]!;
          for (let j = 0; j < width; j++, i++) {
            const diff = d[i]! - t[i]!;
            const a = Math.abs(diff);
            if (weight === 0) {
              gradient[i] = 0;
              continue;
            }
            const m = Math.min(a, beta);
            total += weight * ((0.5 * m * m) / beta + (a - m));
            gradient[i] = weight * (a <= beta ? diff / beta : Math.sign(diff));
          }
        }
        sum[0] = total;
      });
    },
  };
}
