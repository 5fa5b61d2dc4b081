import * as tf from '@tensorflow/tfjs-core';
import { RELU_GRAD } from '../relu-grad.js';
import { filled, heapViews, isWasmHeapBackend } from '../kernels/heap.js';
import { inputsOf } from '../kernels/scope.js';
import type { NativeKernels } from './addon.js';

/**
 * Whether `small` broadcasts over `big` as a trailing block (a bias over channels, or one shape): its
 * shape, leading 1s dropped, is the end of big's. Other broadcasts go to the stock kernel.
 */
function isTrailingBlock(big: readonly number[], small: readonly number[]): boolean {
  if (tf.util.sizeFromShape(small as number[]) === 0 || small.length > big.length) return false;
  const first = small.findIndex((d) => d !== 1);
  const block = first < 0 ? [] : small.slice(first);
  return block.every((d, i) => d === big[big.length - block.length + i]);
}

/**
 * Add and Multiply of float32 tensors of one shape, or with one a trailing block of the other, as a
 * C++ loop on the wasm heap (native/src/elementwise.cc); everything else (other broadcasts, dtypes)
 * goes to the kernel replaced. Both ops commute, so either input may be the block.
 */
function binaryConfig(kernelName: string, op: 0 | 1, native: Pick<NativeKernels, 'binaryRuns'>, backendName: string,
  stock: tf.KernelConfig | undefined): tf.KernelConfig {
  return {
    kernelName, backendName, setupFunc: stock?.setupFunc, disposeFunc: stock?.disposeFunc,
    kernelFunc: (args) => {
      const { a, b } = inputsOf(kernelName, args.inputs, ['a', 'b']);
      const backend = args.backend;
      const ours = isWasmHeapBackend(backend) && a!.dtype === 'float32' && b!.dtype === 'float32';
      const [big, small] = tf.util.sizeFromShape(a!.shape) >= tf.util.sizeFromShape(b!.shape) ? [a!, b!] : [b!, a!];
      if (!ours || !isTrailingBlock(big.shape, small.shape)) {
        if (stock === undefined) throw new Error(`tsnas ${kernelName}: the native kernel needs float32 of one shape (or a trailing block) on wasm`);
        return stock.kernelFunc(args);
      }
      const { outputs, ins, outs } = heapViews(backend, [big, small], [big.shape]);
      return filled(backend, outputs, () => native.binaryRuns(op, ins[0]!, ins[1]!, outs[0]!))[0]!;
    },
  };
}

/** ReLU's gradient dy * step(x) in one pass (src/tensor/relu-grad.ts registers the gradient using it). */
function reluGradConfig(native: Pick<NativeKernels, 'reluGrad'>, backendName: string): tf.KernelConfig {
  return {
    kernelName: RELU_GRAD, backendName,
    kernelFunc: ({ inputs, backend }) => {
      const { x, dy } = inputsOf(RELU_GRAD, inputs, ['x', 'dy']);
      if (!isWasmHeapBackend(backend)) throw new Error(`tsnas ${RELU_GRAD}: the native kernel needs the wasm backend`);
      if (x!.dtype !== 'float32' || dy!.dtype !== 'float32' || x!.shape.join() !== dy!.shape.join()) {
        throw new Error(`tsnas ${RELU_GRAD}: x and dy must be float32 of one shape, got ${x!.dtype} [${x!.shape.join(',')}] and ${dy!.dtype} [${dy!.shape.join(',')}]`);
      }
      const { outputs, ins, outs } = heapViews(backend, [x!, dy!], [x!.shape]);
      return filled(backend, outputs, () => native.reluGrad(ins[0]!, ins[1]!, outs[0]!))[0]!;
    },
  };
}

export function nativeElementwiseConfigs(native: Pick<NativeKernels, 'binaryRuns' | 'reluGrad'>, backendName: string,
  current: (name: string) => tf.KernelConfig | undefined): tf.KernelConfig[] {
  return [
    binaryConfig(tf.Add, 0, native, backendName, current(tf.Add)),
    binaryConfig(tf.Multiply, 1, native, backendName, current(tf.Multiply)),
    reluGradConfig(native, backendName),
  ];
}
