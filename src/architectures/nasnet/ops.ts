import * as tf from '@tensorflow/tfjs-core';
import { batchNorm, type Ctx } from '../../nn/layers.js';
import { convNd, reluConvBn, reluSepConvBn, type ConvShape } from '../../nn/conv.js';
import type { NasNetOp } from '../../spaces/nasnet/ops.js';

const square = (k: number, stride: number, dilation = 1): ConvShape => ({ kh: k, kw: k, stride, dilation });

/** 1x1 conv + BN to `filters` channels (stride 1) when a parameter-free op's input has other channels. */
function toFilters(ctx: Ctx, name: string, x: tf.Tensor4D, filters: number): tf.Tensor4D {
  if (x.shape[3] === filters) return x;
  return batchNorm(ctx, `${name}/proj/bn`, convNd(ctx, `${name}/proj`, x, { kh: 1, kw: 1 }, filters));
}

/** Separable conv applied twice (NASNet): the first unit has the stride. */
function sepTwice(ctx: Ctx, name: string, x: tf.Tensor4D, k: number, stride: number, filters: number): tf.Tensor4D {
  return reluSepConvBn(ctx, `${name}/sep1`, reluSepConvBn(ctx, `${name}/sep0`, x, square(k, stride), filters), square(k, 1), filters);
}

/** kx1 after 1xk, each ReLU -> conv -> BN; the stride on the first. */
function factorized(ctx: Ctx, name: string, x: tf.Tensor4D, k: number, stride: number, filters: number): tf.Tensor4D {
  const a = reluConvBn(ctx, `${name}/1x${k}`, x, { kh: 1, kw: k, stride }, filters);
  return reluConvBn(ctx, `${name}/${k}x1`, a, { kh: k, kw: 1 }, filters);
}

/**
 * One op of a block on a hidden state: `filters` channels out, the resolution divided by `stride`
 * (2 in a reduction cell for ops reading the cell's inputs). Follows nasnet_utils: identity with a
 * stride or channel change is ReLU -> 1x1 conv -> BN; a pool changing channels is followed by 1x1 conv + BN.
 */
export function applyOp(ctx: Ctx, name: string, op: NasNetOp, x: tf.Tensor4D, filters: number, stride: number): tf.Tensor4D {
  switch (op) {
    case 'none': {
      const [n, h, w] = x.shape;
      return tf.zeros([n, Math.ceil(h / stride), Math.ceil(w / stride), filters]);
    }
    case 'identity':
      return stride === 1 && x.shape[3] === filters ? x : reluConvBn(ctx, name, x, square(1, stride), filters);
    case 'conv1x1':
      return reluConvBn(ctx, name, x, square(1, stride), filters);
    case 'conv3x3':
      return reluConvBn(ctx, name, x, square(3, stride), filters);
    case 'dil_conv3x3':
      return reluConvBn(ctx, name, x, square(3, stride, 2), filters);
    case 'conv1x3_3x1':
      return factorized(ctx, name, x, 3, stride, filters);
    case 'conv1x7_7x1':
      return factorized(ctx, name, x, 7, stride, filters);
    case 'avg_pool3x3':
      return toFilters(ctx, name, tf.avgPool(x, 3, stride, 'same'), filters);
    case 'max_pool3x3':
      return toFilters(ctx, name, tf.maxPool(x, 3, stride, 'same'), filters);
    case 'max_pool5x5':
      return toFilters(ctx, name, tf.maxPool(x, 5, stride, 'same'), filters);
    case 'max_pool7x7':
      return toFilters(ctx, name, tf.maxPool(x, 7, stride, 'same'), filters);
    case 'sep_conv3x3':
      return sepTwice(ctx, name, x, 3, stride, filters);
    case 'sep_conv5x5':
      return sepTwice(ctx, name, x, 5, stride, filters);
    case 'sep_conv7x7':
      return sepTwice(ctx, name, x, 7, stride, filters);
    case 'dil_sep_conv3x3':
      return reluSepConvBn(ctx, name, x, square(3, stride, 2), filters);
    case 'dil_sep_conv5x5':
      return reluSepConvBn(ctx, name, x, square(5, stride, 2), filters);
  }
}
