import type * as tf from '@tensorflow/tfjs-core';
import { MOVING_AVERAGES, type MovingAveragesAttrs } from '../moving-averages.js';
import { heapViews, isWasmHeapBackend } from './heap.js';

/** The pairs of a call, checked: moving<i> and batch<i> for i = 0..n-1, float32 of one shape each. */
function pairsOf(inputs: tf.NamedTensorInfoMap): tf.TensorInfo[] {
  const names = Object.keys(inputs);
  const n = names.length / 2;
  const flat: tf.TensorInfo[] = [];
  for (let i = 0; i < n; i++) {
    const moving = inputs[`moving${i}`];
    const batch = inputs[`batch${i}`];
    if (moving === undefined || batch === undefined) {
      throw new Error(`tsnas ${MOVING_AVERAGES}: needs inputs moving0, batch0, ... moving${Math.ceil(n) - 1}, batch${Math.ceil(n) - 1}; got ${names.join(', ')}`);
    }
    if (moving.dtype !== 'float32' || batch.dtype !== 'float32' || moving.shape.join() !== batch.shape.join()) {
      throw new Error(`tsnas ${MOVING_AVERAGES}: moving${i} and batch${i} must be float32 of one shape, got ${moving.dtype} [${moving.shape.join(',')}] and ${batch.dtype} [${batch.shape.join(',')}]`);
    }
    flat.push(moving, batch);
  }
  if (flat.length !== names.length) throw new Error(`tsnas ${MOVING_AVERAGES}: needs pairs moving<i>, batch<i>; got ${names.join(', ')}`);
  return flat;
}

/** Every moving average of a step in one kernel, on the wasm heap (src/tensor/moving-averages.ts). */
export function movingAveragesConfig(backendName: string): tf.KernelConfig {
  return {
    kernelName: MOVING_AVERAGES, backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      if (!isWasmHeapBackend(backend)) throw new Error(`tsnas ${MOVING_AVERAGES}: needs the wasm backend`);
      const flat = pairsOf(inputs);
      const shapes = flat.filter((_, i) => i % 2 === 0).map((t) => t.shape);
      const { outputs, ins, outs } = heapViews(backend, flat, shapes);
      const { momentum } = attrs as unknown as MovingAveragesAttrs;
      // The float32 products and sum of tf.add(tf.mul(m, k), tf.mul(b, 1 - k)): a product or sum of two
      // float32 values computed in double and rounded once is the float32 operation's result.
      const keep = Math.fround(momentum);
      const rest = Math.fround(1 - momentum);
      outs.forEach((out, p) => {
        const moving = ins[2 * p]!;
        const batch = ins[2 * p + 1]!;
        for (let j = 0; j < out.length; j++) out[j] = Math.fround(moving[j]! * keep) + Math.fround(batch[j]! * rest);
      });
      return outputs;
    },
  };
}
