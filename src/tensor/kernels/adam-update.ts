import type * as tf from '@tensorflow/tfjs-core';
import { ADAM_UPDATE, type AdamUpdateAttrs } from '../adam.js';
import { filled, heapViews, isWasmHeapBackend } from './heap.js';

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

/** The call's variables, checked: value, gradient, m and v of each, float32 of one shape. */
function groupsOf(inputs: tf.NamedTensorInfoMap): tf.TensorInfo[][] {
  const names = Object.keys(inputs);
  const groups: tf.TensorInfo[][] = [];
  for (let k = 0; k < names.length / 4; k++) {
    const group = ['value', 'gradient', 'm', 'v'].map((part) => inputs[`${part}${k}`]);
    if (group.some((t) => t === undefined)) {
      throw new Error(`tsnas ${ADAM_UPDATE}: needs inputs value<i>, gradient<i>, m<i>, v<i> for i = 0, 1, ...; got ${names.join(', ')}`);
    }
    const value = group[0]!;
    if (group.some((t) => t!.dtype !== 'float32' || t!.shape.join() !== value.shape.join())) {
      throw new Error(`tsnas ${ADAM_UPDATE}: value${k}, gradient${k}, m${k} and v${k} must be float32 of one shape`);
    }
    groups.push(group as tf.TensorInfo[]);
  }
  if (groups.length * 4 !== names.length) throw new Error(`tsnas ${ADAM_UPDATE}: needs four inputs per variable; got ${names.join(', ')}`);
  return groups;
}

/**
 * The fused Adam step on the wasm heap, for every variable of a step, as tf's AdamOptimizer computes it:
 *   m' = b1 m + (1 - b1) g;  v' = b2 v + (1 - b2) g^2;
 *   value' = value - lr (m' / (1 - b1^t)) / (sqrt(v' / (1 - b2^t)) + eps)
 */
export function adamUpdateConfig(backendName: string, loop: AdamUpdateLoop = jsLoop): tf.KernelConfig {
  return {
    kernelName: ADAM_UPDATE, backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      if (!isWasmHeapBackend(backend)) throw new Error(`tsnas ${ADAM_UPDATE}: needs the wasm backend`);
      const groups = groupsOf(inputs);
      const a = attrs as unknown as AdamUpdateAttrs;
      const shapes = groups.flatMap(([value]) => [value!.shape, value!.shape, value!.shape]);
      const { outputs, ins, outs } = heapViews(backend, groups.flat(), shapes);
      const hyper = Float32Array.of(a.learningRate, a.beta1, a.beta2, a.epsilon, 1 / (1 - a.accBeta1), 1 / (1 - a.accBeta2));
      return filled(backend, outputs, () => groups.forEach((_, k) => {
        const [x, g, m0, v0] = ins.slice(4 * k, 4 * k + 4) as [Float32Array, Float32Array, Float32Array, Float32Array];
        const [x1, m1, v1] = outs.slice(3 * k, 3 * k + 3) as [Float32Array, Float32Array, Float32Array];
        loop(hyper, x, g, m0, v0, x1, m1, v1);
      }));
    },
  };
}
