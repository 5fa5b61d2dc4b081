import * as tf from '@tensorflow/tfjs-core';
import { assertShape } from '../kernels/geometry.js';
import { inputsOf } from '../kernels/scope.js';
import type { NativeKernels } from './addon.js';
import { filled, heapViews, isWasmHeapBackend } from '../kernels/heap.js';

/** MaxPoolGrad (TensorFlow's first-maximum rule) in C++ on the wasm heap. */
export function nativeMaxPoolGradConfig(native: NativeKernels, backendName: string, stock?: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.MaxPoolGrad, backendName, setupFunc: stock?.setupFunc,
    kernelFunc: (args) => {
      const { dy, input } = inputsOf(tf.MaxPoolGrad, args.inputs, ['dy', 'input']);
      if (!isWasmHeapBackend(args.backend) || input.dtype !== 'float32') {
        if (stock !== undefined) return stock.kernelFunc(args);
        throw new Error(`tsnas ${tf.MaxPoolGrad}: needs the wasm backend and float32 input`);
      }
      const a = args.attrs as unknown as tf.MaxPoolGradAttrs;
      const info = tf.backend_util.computePool2DInfo(
        input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
      assertShape(tf.MaxPoolGrad, 'dy', dy.shape, info.outShape);
      const { outputs, ins, outs } = heapViews(args.backend, [input, dy], [input.shape]);
      return filled(args.backend, outputs, () => native.maxPoolGrad(Int32Array.of(info.batchSize, info.inHeight, info.inWidth, info.inChannels,
        info.outHeight, info.outWidth, info.effectiveFilterHeight, info.effectiveFilterWidth,
        info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left), ins[0]!, ins[1]!, outs[0]!))[0]!;
    },
  };
}
