import * as tf from '@tensorflow/tfjs-core';
import { copyRunsJs, isCopyableDtype, type CopyRuns } from './copy-runs.js';
import { heapViews, isWasmHeapBackend } from './heap.js';
import { inputsOf } from './scope.js';

/**
 * Slice on the heap, replacing wasm's stock kernel, which copies one innermost row at a time (for
 * NASNet's factorized reduction, a [32,29,29,c] map cut to [32,28,28,c]: one subarray per pixel).
 * Axes after the innermost cut axis are whole, so each run spans that axis's size times their size.
 */
export function sliceConfig(backendName: string, stock?: tf.KernelConfig, copy: CopyRuns = copyRunsJs): tf.KernelConfig {
  return {
    kernelName: tf.Slice, backendName, setupFunc: stock?.setupFunc,
    kernelFunc: (args) => {
      const { x } = inputsOf(tf.Slice, args.inputs, ['x']);
      if (!isWasmHeapBackend(args.backend) || !isCopyableDtype(x.dtype)) {
        if (stock !== undefined) return stock.kernelFunc(args);
        throw new Error(`tsnas ${tf.Slice}: needs the wasm backend`);
      }
      const a = args.attrs as unknown as tf.SliceAttrs;
      const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, a.begin, a.size);
      tf.slice_util.assertParamsValid(x as tf.Tensor, begin, size);
      const { outputs, ins, outs } = heapViews<tf.TypedArray>(args.backend, [x], [size], x.dtype);
      if (tf.util.sizeFromShape(size) === 0) return outputs[0]!;
      const shape = x.shape;
      const strides = [...tf.util.computeStrides(shape), 1];
      let cut = shape.length - 1; // the innermost axis that is cut
      while (cut > 0 && begin[cut] === 0 && size[cut] === shape[cut]) cut--;
      const run = size[cut]! * strides[cut]!;
      const src = ins[0]!;
      const dst = outs[0]!;
      let written = 0;
      // Runs along the axis before the cut share a stride; the axes before that are walked here.
      const walk = (axis: number, start: number): void => {
        if (axis >= cut - 1) {
          const [count, stride, first] = cut === 0 ? [1, 0, 0] : [size[cut - 1]!, strides[cut - 1]!, begin[cut - 1]!];
          copy(src, start + first * stride + begin[cut]! * strides[cut]!, stride, dst, written, run, run, count);
          written += run * count;
          return;
        }
        for (let i = 0; i < size[axis]!; i++) walk(axis + 1, start + (begin[axis]! + i) * strides[axis]!);
      };
      walk(0, 0);
      return outputs[0]!;
    },
  };
}
