import * as tf from '@tensorflow/tfjs-core';
import { filled, heapViews, isWasmHeapBackend } from '../kernels/heap.js';
import { inputsOf } from '../kernels/scope.js';
import type { NativeKernels } from './addon.js';

/**
 * [outer, reduced, inner] of a float32 sum over adjacent axes, or undefined for any other (axes with
 * gaps, other dtypes: the stock kernel's, which transposes them last first).
 */
function blockOf(shape: readonly number[], axes: number[]): [number, number, number] | undefined {
  const sorted = [...axes].sort((a, b) => a - b);
  if (sorted.some((a, i) => i > 0 && a !== sorted[i - 1]! + 1)) return undefined;
  const first = sorted[0] ?? shape.length, end = first + sorted.length;
  const size = (from: number, to: number) => shape.slice(from, to).reduce((p, d) => p * d, 1);
  return [size(0, first), size(first, end), size(end, shape.length)];
}

/** Sum of float32 over adjacent axes (native/src/reduce.cc) on the wasm heap; other sums go to the kernel replaced. */
export function nativeSumConfig(native: Pick<NativeKernels, 'sumAxes'>, backendName: string,
  stock: tf.KernelConfig | undefined): tf.KernelConfig {
  return {
    kernelName: tf.Sum, backendName, setupFunc: stock?.setupFunc, disposeFunc: stock?.disposeFunc,
    kernelFunc: (args) => {
      const { x } = inputsOf(tf.Sum, args.inputs, ['x']);
      const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
      const backend = args.backend;
      // parseAxisParam names a bad axis (out of range) as the stock kernel would.
      const axes = tf.util.parseAxisParam(axis, x!.shape);
      const block = x!.dtype === 'float32' && isWasmHeapBackend(backend) ? blockOf(x!.shape, axes) : undefined;
      if (block === undefined || !isWasmHeapBackend(backend)) {
        if (stock === undefined) throw new Error('tsnas Sum: the native kernel needs float32 summed over adjacent axes on wasm');
        return stock.kernelFunc(args);
      }
      const [outShape] = tf.backend_util.computeOutAndReduceShapes(x!.shape, axes);
      const shape = keepDims === true ? tf.backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
      const { outputs, ins, outs } = heapViews(backend, [x!], [shape]);
      return filled(backend, outputs, () => native.sumAxes(ins[0]!, Int32Array.from(block), outs[0]!))[0]!;
    },
  };
}
