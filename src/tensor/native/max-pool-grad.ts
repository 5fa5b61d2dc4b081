import type * as tf from '@tensorflow/tfjs-core';
import type { MaxPoolScatter } from '../kernels/max-pool-grad.js';
import type { NativeKernels } from './addon.js';

/** The addon's pool geometry [n,h,w,c, oh,ow, kh,kw, sh,sw, padTop,padLeft] of a pool's info. */
export function poolGeometry(info: tf.backend_util.Conv2DInfo): Int32Array {
  return Int32Array.of(
    info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
    info.effectiveFilterHeight, info.effectiveFilterWidth, info.strideHeight, info.strideWidth,
    info.padInfo.top, info.padInfo.left);
}

/** MaxPoolGrad's scatter loop in C++ (it zeroes dx itself), for the wasm kernel in kernels/max-pool-grad.ts. */
export function nativeMaxPoolScatter(native: NativeKernels): MaxPoolScatter {
  return (x, dy, dx, info: tf.backend_util.Conv2DInfo) => native.maxPoolGrad(poolGeometry(info), x, dy, dx);
}
