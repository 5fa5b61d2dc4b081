import type * as tf from '@tensorflow/tfjs-core';
import { SIGMOID_FOCAL_LOSS, type FocalLossAttrs } from '../focal-loss.js';
import { filled, heapViews, isWasmHeapBackend, type WasmHeapBackend } from '../kernels/heap.js';
import { inputsOf } from '../kernels/scope.js';
import type { NativeKernels } from './addon.js';

function checked(name: string, backend: unknown, logits: tf.TensorInfo, labels: tf.TensorInfo): { backend: WasmHeapBackend; shape: Int32Array } {
  if (!isWasmHeapBackend(backend)) throw new Error(`tsnas ${name}: the native kernel needs the wasm backend`);
  if (logits.dtype !== 'float32' || labels.dtype !== 'int32') throw new Error(`tsnas ${name}: needs float32 logits and int32 labels`);
  const classes = logits.shape[logits.shape.length - 1] ?? 0;
  const rows = logits.shape.slice(0, -1).reduce((p, d) => p * d, 1);
  const labelCount = labels.shape.reduce((p, d) => p * d, 1);
  if (logits.shape.length < 2 || classes === 0 || labelCount !== rows) {
    throw new Error(`tsnas ${name}: logits [${logits.shape.join(',')}] need one label per row, got ${labelCount}`);
  }
  return { backend, shape: Int32Array.of(rows, classes) };
}

/** The fused sigmoid focal loss (a float32 scalar sum, and its gradient), in C++ on the wasm heap. */
export function nativeFocalLossConfigs(native: NativeKernels, backendName: string): tf.KernelConfig[] {
  return [{
    kernelName: SIGMOID_FOCAL_LOSS, backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { logits, labels } = inputsOf(SIGMOID_FOCAL_LOSS, inputs, ['logits', 'labels']);
      const c = checked(SIGMOID_FOCAL_LOSS, backend, logits, labels);
      const a = attrs as unknown as FocalLossAttrs;
      const views = heapViews<Float32Array | Int32Array>(c.backend, [logits, labels], [[], logits.shape]);
      return filled(c.backend, views.outputs, () => {
        views.outs[0]![0] = native.sigmoidFocalLoss(c.shape, views.ins[0] as Float32Array, views.ins[1] as Int32Array,
          a.alpha, a.gamma, views.outs[1] as Float32Array);
      });
    },
  }];
}
