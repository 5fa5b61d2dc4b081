import type * as tf from '@tensorflow/tfjs-core';
import { ADAM_UPDATE, type AdamUpdateAttrs } from '../adam.js';
import { heapViews, isWasmHeapBackend } from './heap.js';
import { inputsOf } from './scope.js';

export type AdamUpdateLoop = (hyper: Float32Array, x: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array,
  x1: Float32Array, m1: Float32Array, v1: Float32Array) => void;

/** The update loop in JavaScript; the native kernels bring a C++ one (hyper: lr, b1, b2, eps, c1, c2). */
const jsLoop: AdamUpdateLoop = (hyper, x, g, m0, v0, x1, m1, v1) => {
  const [lr, b1, b2, eps, c1, c2] = hyper as unknown as [number, number, number, number, number, number];
  for (let i = 0; i < x.length; i++) {
    const gi = g[i]!;
    const mi = (m1[i] = b1 * m0[i]! + (1 - b1) * gi);
    const vi = (v1[i] = b2 * v0[i]! + (1 - b2) * gi * gi);
    x1[i] = x[i]! - lr * (mi * c1) / (Math.sqrt(vi * c2) + eps);
  }
};

/**
 * The fused Adam step on the wasm heap, as tf's AdamOptimizer computes it:
 *   m' = b1 m + (1 - b1) g;  v' = b2 v + (1 - b2) g^2;
 *   value' = value - lr (m' / (1 - b1^t)) / (sqrt(v' / (1 - b2^t)) + eps)
 */
export function adamUpdateConfig(backendName: string, loop: AdamUpdateLoop = jsLoop): tf.KernelConfig {
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
      const hyper = Float32Array.of(a.learningRate, a.beta1, a.beta2, a.epsilon, 1 / (1 - a.accBeta1), 1 / (1 - a.accBeta2));
      loop(hyper, x, g, m0, v0, x1, m1, v1);
      return outputs;
    },
  };
}
