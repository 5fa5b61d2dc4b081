import * as tf from '@tensorflow/tfjs-core';
import { BATCH_NORM_RELU_TRAIN, BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD, type BatchNormAttrs } from '../batch-norm.js';
import { inputsOf } from '../kernels/scope.js';
import type { NativeKernels } from './addon.js';
import { filled, heapViews, isWasmHeapBackend } from '../kernels/heap.js';

function rowsAndChannels(name: string, x: tf.TensorInfo, ...perChannel: tf.TensorInfo[]): Int32Array {
  const c = x.shape[x.shape.length - 1] ?? 0;
  const rows = x.shape.slice(0, -1).reduce((p, d) => p * d, 1);
  if (x.shape.length < 2 || c === 0 || rows === 0) throw new Error(`tsnas ${name}: x has shape [${x.shape.join(',')}], needs rank >= 2 and no empty axis`);
  for (const t of [x, ...perChannel]) {
    if (t.dtype !== 'float32') throw new Error(`tsnas ${name}: needs float32 tensors, got ${t.dtype}`);
  }
  for (const t of perChannel) {
    if (t.shape.length !== 1 || t.shape[0] !== c) throw new Error(`tsnas ${name}: a per-channel input has shape [${t.shape.join(',')}], expected [${c}]`);
  }
  return Int32Array.of(rows, c);
}

function heapBackend(name: string, backend: unknown) {
  if (!isWasmHeapBackend(backend)) throw new Error(`tsnas ${name}: the native kernel needs the wasm backend`);
  return backend;
}

/** The fused training BatchNorm (plain, and with ReLU) and its gradient, in C++ on the wasm heap. */
export function nativeBatchNormConfigs(native: NativeKernels, backendName: string): tf.KernelConfig[] {
  const forward = (kernelName: string, relu: boolean): tf.KernelConfig => ({
    kernelName, backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, gamma, beta } = inputsOf(kernelName, inputs, ['x', 'gamma', 'beta']);
      const shape = rowsAndChannels(kernelName, x, gamma, beta);
      const c = shape[1]!;
      const heap = heapBackend(kernelName, backend);
      const { outputs, ins, outs } = heapViews(heap, [x, gamma, beta], [x.shape, [c], [c]]);
      return filled(heap, outputs, () => native.batchNormForward(shape, (attrs as unknown as BatchNormAttrs).epsilon,
        ins[0]!, ins[1]!, ins[2]!, outs[0]!, outs[1]!, outs[2]!, relu ? 1 : 0));
    },
  });
  return [
    forward(BATCH_NORM_TRAIN, false),
    forward(BATCH_NORM_RELU_TRAIN, true),
    {
      kernelName: BATCH_NORM_TRAIN_GRAD, backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const a = attrs as unknown as BatchNormAttrs;
        const names = a.relu === true ? ['dy', 'x', 'gamma', 'mean', 'variance', 'y'] : ['dy', 'x', 'gamma', 'mean', 'variance'];
        const named = inputsOf(BATCH_NORM_TRAIN_GRAD, inputs, names);
        const { dy, x, gamma, mean, variance, y } = named;
        const shape = rowsAndChannels(BATCH_NORM_TRAIN_GRAD, x!, gamma!, mean!, variance!);
        for (const t of y === undefined ? [dy!] : [dy!, y]) {
          if (t.shape.join() !== x!.shape.join() || t.dtype !== 'float32') {
            throw new Error(`tsnas ${BATCH_NORM_TRAIN_GRAD}: dy (and y, with relu) must be float32 of x's shape`);
          }
        }
        const c = shape[1]!;
        const heap = heapBackend(BATCH_NORM_TRAIN_GRAD, backend);
        const { outputs, ins, outs } = heapViews(heap, names.map((n) => named[n]!), [x!.shape, [c], [c]]);
        return filled(heap, outputs, () => native.batchNormBackward(shape, a.epsilon,
          ins[0]!, ins[1]!, ins[2]!, ins[3]!, ins[4]!, outs[0]!, outs[1]!, outs[2]!, ins[5]));
      },
    },
  ];
}
