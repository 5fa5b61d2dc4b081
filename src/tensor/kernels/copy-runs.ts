import type * as tf from '@tensorflow/tfjs-core';

/**
 * Copies `count` runs of `run` elements, run r from src[srcStart + r * srcStride] to
 * dst[dstStart + r * dstStride]: the one loop behind Concat, SplitV and Slice on the heap.
 */
export type CopyRuns = (src: tf.TypedArray, srcStart: number, srcStride: number, dst: tf.TypedArray, dstStart: number, dstStride: number, run: number, count: number) => void;

/** Dtypes whose heap data is a plain typed array the run copy moves (strings and complex numbers are not). */
export function isCopyableDtype(dtype: tf.DataType | undefined): boolean {
  return dtype === 'float32' || dtype === 'int32' || dtype === 'bool';
}

/** Below this many elements a run is copied element by element: a subarray per run costs more than its copy. */
const SHORT_RUN = 64;

/**
 * The JavaScript loop. tfjs's wasm kernels copy every run with `set(subarray(...))`, which on NHWC
 * tensors cut along channels (NASNet's concats of 8-32 channels, over n*h*w runs) spends its time
 * making subarrays: an element loop is 2.5-5x cheaper there.
 */
export const copyRunsJs: CopyRuns = (src, srcStart, srcStride, dst, dstStart, dstStride, run, count) => {
  if (run >= SHORT_RUN) {
    for (let r = 0; r < count; r++) {
      const s = srcStart + r * srcStride;
      dst.set(src.subarray(s, s + run), dstStart + r * dstStride);
    }
    return;
  }
  for (let r = 0; r < count; r++) {
    let s = srcStart + r * srcStride;
    let d = dstStart + r * dstStride;
    for (const end = s + run; s < end;) dst[d++] = src[s++]!;
  }
};
