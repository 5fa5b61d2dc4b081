import * as tf from '@tensorflow/tfjs-core';
import { concatConfig } from '../kernels/concat.js';
import { copyRunsJs, type CopyRuns } from '../kernels/copy-runs.js';
import { sliceConfig } from '../kernels/slice.js';
import { splitVConfig } from '../kernels/split-v.js';
import type { NativeKernels } from './addon.js';

const asFloats = (a: tf.TypedArray) => (a instanceof Float32Array ? a : new Float32Array(a.buffer, a.byteOffset, a.length));

/** The run copy as memcpy calls in C++ for 4-byte elements (float32, int32); bool's bytes stay in JavaScript. */
export function nativeCopyRuns(native: Pick<NativeKernels, 'copyRuns'>): CopyRuns {
  return (src, srcStart, srcStride, dst, dstStart, dstStride, run, count) => {
    if (src.BYTES_PER_ELEMENT !== 4 || dst.BYTES_PER_ELEMENT !== 4) return copyRunsJs(src, srcStart, srcStride, dst, dstStart, dstStride, run, count);
    native.copyRuns(asFloats(src), asFloats(dst), Int32Array.of(srcStart, srcStride, dstStart, dstStride, run, count));
  };
}

/** Concat, SplitV and Slice on the native run copy, each falling back to the kernel it replaces. */
export function nativeCopyConfigs(native: Pick<NativeKernels, 'copyRuns'>, backendName: string,
  current: (name: string) => tf.KernelConfig | undefined): tf.KernelConfig[] {
  const copy = nativeCopyRuns(native);
  return [
    concatConfig(backendName, current(tf.Concat), copy),
    splitVConfig(backendName, current(tf.SplitV), copy),
    sliceConfig(backendName, current(tf.Slice), copy),
  ];
}
