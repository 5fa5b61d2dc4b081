import * as tf from '@tensorflow/tfjs-core';
import { batchNorm, type Ctx } from './layers.js';
import { convNd } from './conv.js';

/**
 * Halves the resolution without dropping half the pixels (NASNet's factorized reduction): two strided
 * 1x1 convs, one on the grid and one on the grid shifted by one pixel, each giving half the channels,
 * concatenated, then BN. Both paths give ceil(h/2) x ceil(w/2), as a 'same' stride-2 op does.
 */
export function factorizedReduction(ctx: Ctx, name: string, x: tf.Tensor4D, cout: number): tf.Tensor4D {
  const half = Math.floor(cout / 2);
  const [n, h, w, c] = x.shape;
  const onGrid = convNd(ctx, `${name}/path1`, x, { kh: 1, kw: 1, stride: 2 }, half);
  const shifted = tf.slice(tf.pad(x, [[0, 0], [0, 1], [0, 1], [0, 0]]), [0, 1, 1, 0], [n, h, w, c]);
  const offGrid = convNd(ctx, `${name}/path2`, shifted, { kh: 1, kw: 1, stride: 2 }, cout - half);
  return batchNorm(ctx, `${name}/bn`, tf.concat([onGrid, offGrid], 3));
}
