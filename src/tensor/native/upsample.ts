import type * as tf from '@tensorflow/tfjs-core';
import { UPSAMPLE_NEAREST, UPSAMPLE_NEAREST_GRAD, type UpsampleAttrs } from '../upsample.js';
import { filled, heapViews, isWasmHeapBackend } from '../kernels/heap.js';
import { inputsOf } from '../kernels/scope.js';
import type { NativeKernels } from './addon.js';

/** [n, h, w, c, factor] of the small map, checked: the big one must be the small one times the factor. */
function geometry(name: string, t: tf.TensorInfo, factor: number, small: boolean): Int32Array {
  if (t.shape.length !== 4 || t.dtype !== 'float32') throw new Error(`tsnas ${name}: needs a float32 NHWC tensor, got ${t.dtype} [${t.shape.join(',')}]`);
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`tsnas ${name}: the factor must be a positive integer, got ${factor}`);
  const [n, h, w, c] = t.shape as [number, number, number, number];
  if (!small && (h % factor !== 0 || w % factor !== 0)) throw new Error(`tsnas ${name}: dy [${t.shape.join(',')}] is not a multiple of the factor ${factor}`);
  return small ? Int32Array.of(n, h, w, c, factor) : Int32Array.of(n, h / factor, w / factor, c, factor);
}

/** Nearest-neighbour upsampling and its gradient (native/src/upsample.cc) on the wasm heap. */
export function nativeUpsampleConfigs(native: NativeKernels, backendName: string): tf.KernelConfig[] {
  const config = (kernelName: string, input: 'x' | 'dy', run: NativeKernels['upsampleNearest']): tf.KernelConfig => ({
    kernelName, backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const t = inputsOf(kernelName, inputs, [input])[input]!;
      if (!isWasmHeapBackend(backend)) throw new Error(`tsnas ${kernelName}: the native kernel needs the wasm backend`);
      const g = geometry(kernelName, t, (attrs as unknown as UpsampleAttrs).factor, input === 'x');
      const [n, h, w, c, f] = g as unknown as [number, number, number, number, number];
      const { outputs, ins, outs } = heapViews(backend, [t], [input === 'x' ? [n, h * f, w * f, c] : [n, h, w, c]]);
      return filled(backend, outputs, () => run(g, ins[0]!, outs[0]!))[0]!;
    },
  });
  return [
    config(UPSAMPLE_NEAREST, 'x', native.upsampleNearest),
    config(UPSAMPLE_NEAREST_GRAD, 'dy', native.upsampleNearestGrad),
  ];
}
