import type * as tf from '@tensorflow/tfjs-core';
import type { KernelScope } from './scope.js';

export type Pair = [number, number];

/** Normalises a tfjs `number | [number, number]` attribute. */
export function pair(v: number | number[] | undefined, fallback = 1): Pair {
  if (v === undefined) return [fallback, fallback];
  return typeof v === 'number' ? [v, v] : [v[0] ?? fallback, v[1] ?? v[0] ?? fallback];
}

/** Our kernels compute in NHWC only: say so instead of returning wrong numbers for NCHW. */
export function assertNHWC(kernelName: string, dataFormat: string | undefined): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`tsnas ${kernelName}: only dataFormat 'NHWC' is supported, got '${dataFormat}'`);
  }
}

export function assertShape(kernelName: string, what: string, got: readonly number[], want: readonly number[]): void {
  if (got.length !== want.length || got.some((d, i) => d !== want[i])) {
    throw new Error(`tsnas ${kernelName}: ${what} has shape [${got.join(',')}], expected [${want.join(',')}]`);
  }
}

export interface FitSpec {
  depthwise: boolean;
  strides: Pair;
  dilations: Pair;
  /** Zero rows/columns before the input (may be negative: rows are then cut off). */
  padTop: number;
  padLeft: number;
  /** The exact output size wanted; the padding after the input is derived from it. */
  outHeight: number;
  outWidth: number;
}

/**
 * A forward convolution (Conv2D or DepthwiseConv2dNative, NHWC) whose output is exactly
 * outHeight x outWidth. Every gradient here reduces to such a convolution with padding that can be
 * negative on either side; negative padding becomes a crop, since the backend kernels want pads >= 0.
 */
export function fittedConv(s: KernelScope, x: tf.TensorInfo, filter: tf.TensorInfo, f: FitSpec): tf.TensorInfo {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const effH = (filter.shape[0]! - 1) * f.dilations[0] + 1;
  const effW = (filter.shape[1]! - 1) * f.dilations[1] + 1;
  const top = f.padTop;
  const left = f.padLeft;
  const bottom = (f.outHeight - 1) * f.strides[0] + effH - h - top;
  const right = (f.outWidth - 1) * f.strides[1] + effW - w - left;
  const cut = [Math.max(0, -top), Math.max(0, -bottom), Math.max(0, -left), Math.max(0, -right)] as const;
  let input = x;
  if (cut.some((v) => v > 0)) {
    input = s.run('Slice', { x }, {
      begin: [0, cut[0], cut[2], 0],
      size: [n, h - cut[0] - cut[1], w - cut[2] - cut[3], c],
    });
  }
  const pad = [[0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0]];
  const out = s.run(f.depthwise ? 'DepthwiseConv2dNative' : 'Conv2D', { x: input, filter }, {
    strides: f.strides, dilations: f.dilations, pad, dataFormat: 'NHWC',
  });
  if (out.shape[1] !== f.outHeight || out.shape[2] !== f.outWidth) {
    throw new Error(`tsnas: internal error, fitted convolution gave [${out.shape.join(',')}], ` +
      `wanted ${f.outHeight}x${f.outWidth}`);
  }
  return out;
}

/**
 * Spreads an NHWC tensor's pixels `strides` apart with zeros between (and after) them: [N,H,W,C] ->
 * [N,H*sh,W*sw,C]. The gradient of a strided convolution w.r.t. its input is a stride-1 convolution
 * over this zero-stuffed gradient. Done as reshape -> pad -> reshape, all cheap on the backend.
 */
export function zeroStuff(s: KernelScope, x: tf.TensorInfo, strides: Pair): tf.TensorInfo {
  const [sh, sw] = strides;
  if (sh === 1 && sw === 1) return x;
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const r = s.run('Reshape', { x }, { shape: [n, h, 1, w, 1, c] });
  const p = s.run('PadV2', { x: r }, {
    paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0,
  });
  return s.run('Reshape', { x: p }, { shape: [n, h * sh, w * sw, c] });
}

/**
 * Transpose with runs of axes that stay adjacent merged first ([N,H,W,C] by [1,2,0,3] is [N,HW,C] by
 * [1,0,2]): the backend's lower-rank transposes are markedly faster than its generic 4-D one.
 */
export function transpose(s: KernelScope, x: tf.TensorInfo, perm: readonly number[]): tf.TensorInfo {
  const groups: number[][] = [];
  for (const axis of perm) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last[last.length - 1] === axis - 1) last.push(axis);
    else groups.push([axis]);
  }
  const outShape = perm.map((a) => x.shape[a]!);
  if (groups.length === perm.length) return s.run('Transpose', { x }, { perm: [...perm] });
  // Rank the groups by their first input axis to get the merged input shape and permutation.
  const byInput = [...groups].sort((a, b) => a[0]! - b[0]!);
  const mergedShape = byInput.map((g) => g.reduce((p, a) => p * x.shape[a]!, 1));
  const mergedPerm = groups.map((g) => byInput.indexOf(g));
  const merged = s.run('Reshape', { x }, { shape: mergedShape });
  const t = s.run('Transpose', { x: merged }, { perm: mergedPerm });
  return s.run('Reshape', { x: t }, { shape: outShape });
}
