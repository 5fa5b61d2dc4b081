import * as tf from '@tensorflow/tfjs-core';
import { assertShape } from '../kernels/geometry.js';
import { filled, heapViews, isWasmHeapBackend } from '../kernels/heap.js';
import { inputsOf } from '../kernels/scope.js';
import type { NativeKernels } from './addon.js';
import { poolGeometry } from './max-pool-grad.js';

/**
 * AvgPoolGrad as one scatter loop in C++ (native/src/pool.cc) on the wasm heap, replacing wasm's stock
 * kernel, the largest single kernel of a NASNet child's training step (benchmarks/pool-native.ts).
 * Like the cpu backend it divides by the full window size, also where a window hangs over padding.
 * Anything but float32 on the wasm heap goes to the kernel it replaces.
 */
export function nativeAvgPoolGradConfig(native: Pick<NativeKernels, 'avgPoolGrad'>, backendName: string, stock?: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, input } = inputsOf(tf.AvgPoolGrad, inputs, ['dy', 'input']);
    if (!isWasmHeapBackend(backend) || input.dtype !== 'float32' || dy.dtype !== 'float32') {
      if (stock !== undefined) return stock.kernelFunc(args);
      throw new Error(`tsnas ${tf.AvgPoolGrad}: needs the wasm backend and float32 input`);
    }
    const a = attrs as unknown as tf.AvgPoolGradAttrs;
    // As the cpu and wasm kernels compute it: no dimRoundingMode (AvgPoolGrad has none), dilation 1.
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad);
    assertShape(tf.AvgPoolGrad, 'dy', dy.shape, info.outShape);
    const { outputs, ins, outs } = heapViews(backend, [dy], [input.shape]);
    return filled(backend, outputs, () => native.avgPoolGrad(poolGeometry(info), ins[0]!, outs[0]!))[0]!;
  };
  return { kernelName: tf.AvgPoolGrad, backendName, kernelFunc, setupFunc: stock?.setupFunc, disposeFunc: stock?.disposeFunc };
}
