import * as tf from '@tensorflow/tfjs-core';

/**
 * Nearest-neighbour upsampling of an NHWC map by an integer factor as one kernel (and one for its
 * gradient) where a backend registers them (wasm with the native kernels): a copy forward and a block
 * sum backward, instead of a broadcast Multiply forward and a Multiply plus a Sum over two non-last
 * axes (which wasm runs through a transpose) backward. Callers check hasFusedUpsample() and otherwise
 * compose tf ops (nn/resample.ts).
 */
export const UPSAMPLE_NEAREST = 'TsnasUpsampleNearest';
export const UPSAMPLE_NEAREST_GRAD = 'TsnasUpsampleNearestGrad';

export interface UpsampleAttrs {
  factor: number;
}

export function hasFusedUpsample(): boolean {
  return tf.getKernel(UPSAMPLE_NEAREST, tf.getBackend()) !== undefined &&
    tf.getKernel(UPSAMPLE_NEAREST_GRAD, tf.getBackend()) !== undefined;
}

/** x [n, h, w, c] -> [n, h*factor, w*factor, c], every pixel copied to a factor x factor block. */
export function upsampleNearestFused(x: tf.Tensor4D, factor: number): tf.Tensor4D {
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`tsnas ${UPSAMPLE_NEAREST}: the factor must be a positive integer, got ${factor}`);
  const attrs: UpsampleAttrs = { factor };
  return tf.engine().runKernel(UPSAMPLE_NEAREST, { x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/** Registers the gradient of UPSAMPLE_NEAREST (backend-independent: it runs UPSAMPLE_NEAREST_GRAD). */
export function registerUpsampleGradient(): void {
  if (tf.getGradient(UPSAMPLE_NEAREST) !== undefined) return;
  tf.registerGradient({
    kernelName: UPSAMPLE_NEAREST,
    gradFunc: (dy, _saved, attrs) => ({
      x: () => tf.engine().runKernel(UPSAMPLE_NEAREST_GRAD, { dy: dy as tf.Tensor }, attrs as tf.NamedAttrMap) as tf.Tensor,
    }),
  });
}
