import type * as tf from '@tensorflow/tfjs-core';
import { ADAM_UPDATE, type AdamUpdateAttrs } from '../adam.js';
import { heapViews, isWasmHeapBackend } from './heap.js';
import { inputsOf } from './scope.js';

/**
 * The fused Adam step on the wasm heap, as tf's AdamOptimizer computes it:
 *   m' = b1 m + (1 - b1) g;  v' = b2 v + (1 - b2) g^2;
 *   value' = value - lr (m' / (1 - b1^t)) / (sqrt(v' / (1 - b2^t)) + eps)
 */
export function adamUpdateConfig(backendName: string): tf.KernelConfig {
  return {
    kernelName: ADAM_UPDATE, backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { value, gradient, m, v } = inputsOf(ADAM_UPDATE, inputs, ['value', 'gradient', 'm', 'v']);
      if (!isWasmHeapBackend(backend)) throw new Error(`tsnas ${ADAM_UPDATE}: needs the wasm backend`);
      for (const t of [gradient, m, v]) {
        if (t.shape.join() !== value.shape.join() || t.dtype !== 'float32' || value.dtype !== 'float32') {
          throw new Error(`tsnas ${ADAM_UPDATE}: value, gradient, m and v must be float32 of one shape`);
        }
      }
      const a = attrs as unknown as AdamUpdateAttrs;
      const { outputs, ins, outs } = heapViews(backend, [value, gradient, m, v], [value.shape, value.shape, value.shape]);
      const [x, g, m0, v0] = ins as [Float32Array, Float32Array, Float32Array, Float32Array];
      const [x1, m1, v1] = outs as [Float32Array, Float32Array, Float32Array];
      const { beta1: b1, beta2: b2, epsilon: eps } = a;
      const c1 = 1 / (1 - a.accBeta1);
      const c2 = 1 / (1 - a.accBeta2);
      for (let i = 0; i < x.length; i++) {
        const gi = g[i]!;
        const mi = (m1[i] = b1 * m0[i]! + (1 - b1) * gi);
        const vi = (v1[i] = b2 * v0[i]! + (1 - b2) * gi * gi);
        x1[i] = x[i]! - a.learningRate * (mi * c1) / (Math.sqrt(vi * c2) + eps);
      }
      return outputs;
    },
  };
}
