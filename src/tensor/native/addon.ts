import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The optional native kernels (native/, built by `npm run build:native` against OpenBLAS). Every
 * tensor argument is a Float32Array, in tsnas a view on the wasm heap, so nothing is copied.
 * Geometry arrays: conv [n,h,w,ci, kh,kw,co, oh,ow, sh,sw, dh,dw, padTop,padLeft];
 * pool [n,h,w,c, oh,ow, kh,kw, sh,sw, padTop,padLeft]; batch norm [rows, channels].
 */
export interface NativeKernels {
  convForward(geometry: Int32Array, x: Float32Array, filter: Float32Array, y: Float32Array): void;
  convBackpropFilter(geometry: Int32Array, x: Float32Array, dy: Float32Array, dFilter: Float32Array): void;
  convBackpropInput(geometry: Int32Array, dy: Float32Array, filter: Float32Array, dx: Float32Array): void;
  /** Depthwise convolutions: the conv geometry with co = ci * M; filters [kh,kw,ci,M]. */
  depthwiseForward(geometry: Int32Array, x: Float32Array, filter: Float32Array, y: Float32Array): void;
  depthwiseBackpropFilter(geometry: Int32Array, x: Float32Array, dy: Float32Array, dFilter: Float32Array): void;
  depthwiseBackpropInput(geometry: Int32Array, dy: Float32Array, filter: Float32Array, dx: Float32Array): void;
  /** relu 1: y = max(0, BatchNorm(x)). */
  batchNormForward(shape: Int32Array, eps: number, x: Float32Array, gamma: Float32Array, beta: Float32Array,
    y: Float32Array, mean: Float32Array, variance: Float32Array, relu?: number): void;
  /** reluY: the forward's y when it ran with relu (dy counts where y > 0 only). */
  batchNormBackward(shape: Int32Array, eps: number, dy: Float32Array, x: Float32Array, gamma: Float32Array,
    mean: Float32Array, variance: Float32Array, dx: Float32Array, dGamma: Float32Array, dBeta: Float32Array,
    reluY?: Float32Array): void;
  /** One Adam step; hyper = [lr, beta1, beta2, epsilon, 1/(1-beta1^t), 1/(1-beta2^t)]. */
  adamUpdate(hyper: Float32Array, x: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array,
    x1: Float32Array, m1: Float32Array, v1: Float32Array): void;
  maxPoolGrad(geometry: Int32Array, x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  /** dx of an average pool, divided by the full window size (as tfjs's cpu backend does). */
  avgPoolGrad(geometry: Int32Array, dy: Float32Array, dx: Float32Array): void;
  /** Strided block copy of 4-byte elements, geometry [srcStart, srcStride, dstStart, dstStride, run, count]. */
  copyRuns(src: Float32Array, dst: Float32Array, geometry: Int32Array): void;
  /** out[i] = a[i] + b[i % b.length] (op 0) or a[i] * b[i % b.length] (op 1); b's length divides a's. */
  binaryRuns(op: 0 | 1, a: Float32Array, b: Float32Array, out: Float32Array): void;
  /** dx = dy * step(x), elementwise. */
  reluGrad(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  /** x viewed as [outer, reduced, inner] (shape): out[a, b] = the sum over r of x[a, r, b], in r's order. */
  sumAxes(x: Float32Array, shape: Int32Array, out: Float32Array): void;
  /** Focal loss sum over [rows, classes] logits with one label per row (class, -1 background, -2
   * ignored); writes its gradient to dLogits. */
  sigmoidFocalLoss(shape: Int32Array, logits: Float32Array, labels: Int32Array, alpha: number, gamma: number,
    dLogits: Float32Array): number;
  /** Nearest-neighbour upsampling by an integer factor; geometry [n, h, w, c, factor] of the small map x. */
  upsampleNearest(geometry: Int32Array, x: Float32Array, y: Float32Array): void;
  /** Its gradient: dx [n, h, w, c] sums dy over each factor x factor block. */
  upsampleNearestGrad(geometry: Int32Array, dy: Float32Array, dx: Float32Array): void;
  /** Turns the direct conv tiles (native/src/conv-direct.h) on or off for this thread, for A/B runs;
   * returns whether they are in use (false in a build for a CPU with neither AVX-512 nor AVX2 + FMA: im2col + sgemm throughout). */
  directConv(on: boolean): boolean;
  /** OpenBLAS's build and thread count (1, set when the addon loads: tsnas parallelises across workers). */
  blasInfo(): string;
}

export interface NativeStatus {
  kernels: NativeKernels | undefined;
  /** Why the kernels are not loaded, when they are not. */
  reason?: string;
}

const ADDON = fileURLToPath(new URL('../../../../native/build/Release/tsnas_native.node', import.meta.url));

let status: NativeStatus | undefined;

/** Loads the addon once per thread. TSNAS_NATIVE=0 turns it off (the wasm kernels are used instead). */
export function nativeKernels(): NativeStatus {
  if (status !== undefined) return status;
  if (process.env.TSNAS_NATIVE === '0') {
    status = { kernels: undefined, reason: 'turned off by TSNAS_NATIVE=0' };
  } else if (!existsSync(ADDON)) {
    status = { kernels: undefined, reason: 'not built (apt-get install libopenblas-dev, then npm run build:native)' };
  } else {
    try {
      status = { kernels: createRequire(import.meta.url)(ADDON) as NativeKernels };
    } catch (e) {
      status = { kernels: undefined, reason: `failed to load: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  return status;
}
