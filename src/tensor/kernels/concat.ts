import * as tf from '@tensorflow/tfjs-core';
import { copyRunsJs, isCopyableDtype, type CopyRuns } from './copy-runs.js';
import { heapViews, isWasmHeapBackend } from './heap.js';

/**
 * Concat on the heap, replacing wasm's stock kernel (a subarray per run: ~4 ms for one of NASNet's
 * channel concats at batch 32). Input k is `outer` runs of its inner size, written side by side.
 */
export function concatConfig(backendName: string, stock?: tf.KernelConfig, copy: CopyRuns = copyRunsJs): tf.KernelConfig {
  return {
    kernelName: tf.Concat, backendName, setupFunc: stock?.setupFunc,
    kernelFunc: (args) => {
      const all = args.inputs as unknown as tf.TensorInfo[];
      const parts = all.filter((t) => tf.util.sizeFromShape(t.shape) > 0);
      const dtype = all[0]?.dtype;
      // Strings and complex numbers are not plain heap arrays; one part is an identity: stock handles them.
      if (!isWasmHeapBackend(args.backend) || parts.length < 2 || !isCopyableDtype(dtype)) {
        if (stock !== undefined) return stock.kernelFunc(args);
        throw new Error(`tsnas ${tf.Concat}: needs the wasm backend`);
      }
      const axis = tf.util.parseAxisParam((args.attrs as unknown as tf.ConcatAttrs).axis, all[0]!.shape)[0]!;
      tf.backend_util.assertParamsConsistent(all.map((t) => t.shape), axis);
      const shape = tf.backend_util.computeOutShape(all.map((t) => t.shape), axis);
      const outer = tf.util.sizeFromShape(shape.slice(0, axis));
      const inners = parts.map((t) => tf.util.sizeFromShape(t.shape.slice(axis)));
      const total = inners.reduce((s, n) => s + n, 0);
      const { outputs, ins, outs } = heapViews<tf.TypedArray>(args.backend, parts, [shape], dtype);
      let offset = 0;
      parts.forEach((_, k) => {
        copy(ins[k]!, 0, inners[k]!, outs[0]!, offset, total, inners[k]!, outer);
        offset += inners[k]!;
      });
      return outputs[0]!;
    },
  };
}
