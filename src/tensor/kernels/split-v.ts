import * as tf from '@tensorflow/tfjs-core';
import { copyRunsJs, type CopyRuns } from './copy-runs.js';
import { heapViews, isWasmHeapBackend } from './heap.js';
import { inputsOf } from './scope.js';

/**
 * SplitV, replacing wasm's stock kernel (a strided Slice per output: ~6 ms to split a [16,1364,10]
 * tensor, the gradient of the detector head's concat). Every output is `outer` contiguous runs of
 * the input.
 */
export function splitVConfig(backendName: string, stock?: tf.KernelConfig, copy: CopyRuns = copyRunsJs): tf.KernelConfig {
  return {
    kernelName: tf.SplitV, backendName, setupFunc: stock?.setupFunc,
    kernelFunc: (args) => {
      const { x } = inputsOf(tf.SplitV, args.inputs, ['x']);
      if (!isWasmHeapBackend(args.backend) || x.dtype === 'string') {
        if (stock !== undefined) return stock.kernelFunc(args);
        throw new Error(`tsnas ${tf.SplitV}: needs the wasm backend`);
      }
      const a = args.attrs as unknown as tf.SplitVAttrs;
      const axis = a.axis < 0 ? a.axis + x.shape.length : a.axis;
      const sizes = tf.backend_util.prepareSplitSize(x, a.numOrSizeSplits, axis);
      const outer = x.shape.slice(0, axis).reduce((p, d) => p * d, 1);
      const inner = x.shape.slice(axis + 1).reduce((p, d) => p * d, 1);
      const span = x.shape[axis]! * inner;
      const shapes = sizes.map((size) => x.shape.map((d, i) => (i === axis ? size : d)));
      const views = heapViews(args.backend, [x], shapes, x.dtype);
      const src = views.ins[0]!;
      let start = 0;
      sizes.forEach((size, k) => {
        const run = size * inner;
        copy(src, start, span, views.outs[k]!, 0, run, run, outer);
        start += run;
      });
      return views.outputs;
    },
  };
}
