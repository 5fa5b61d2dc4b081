import * as tf from '@tensorflow/tfjs-core';
import { batchNorm, type Ctx } from './layers.js';
import { dilateFilter } from './dilate.js';

/** Geometry of a convolution: a kh x kw window, its stride and dilation ('same' padding). */
export interface ConvShape {
  readonly kh: number;
  readonly kw: number;
  readonly stride?: number;
  readonly dilation?: number;
}

const outSize = (n: number, stride: number) => Math.ceil(n / stride);

/** A dense 'same' convolution of any window (1x7, a dilated 3x3 ...), its FLOPs counted by its taps. */
export function convNd(ctx: Ctx, name: string, x: tf.Tensor4D, g: ConvShape, cout: number): tf.Tensor4D {
  const [, h, w, cin] = x.shape;
  const stride = g.stride ?? 1;
  const filter = ctx.params.get(`${name}/w`, (seed) => tf.randomNormal([g.kh, g.kw, cin, cout], 0, Math.sqrt(2 / (g.kh * g.kw * cin)), 'float32', seed));
  const y = tf.conv2d(x, dilateFilter(filter as tf.Tensor4D, g.dilation ?? 1), stride, 'same');
  ctx.flops += 2 * outSize(h, stride) * outSize(w, stride) * g.kh * g.kw * cin * cout;
  return y;
}

/** A depthwise 'same' convolution (multiplier 1), dilated through a spread filter. */
export function depthwise(ctx: Ctx, name: string, x: tf.Tensor4D, g: ConvShape): tf.Tensor4D {
  const [, h, w, cin] = x.shape;
  const stride = g.stride ?? 1;
  const filter = ctx.params.get(`${name}/dw`, (seed) => tf.randomNormal([g.kh, g.kw, cin, 1], 0, Math.sqrt(2 / (g.kh * g.kw)), 'float32', seed));
  const y = tf.depthwiseConv2d(x, dilateFilter(filter as tf.Tensor4D, g.dilation ?? 1), stride, 'same');
  ctx.flops += 2 * outSize(h, stride) * outSize(w, stride) * g.kh * g.kw * cin;
  return y;
}

/** ReLU -> conv -> BN, the unit of NASNet's conv ops. */
export function reluConvBn(ctx: Ctx, name: string, x: tf.Tensor4D, g: ConvShape, cout: number): tf.Tensor4D {
  return batchNorm(ctx, `${name}/bn`, convNd(ctx, name, tf.relu(x), g, cout));
}

/** ReLU -> depthwise -> pointwise -> BN: one separable unit. */
export function reluSepConvBn(ctx: Ctx, name: string, x: tf.Tensor4D, g: ConvShape, cout: number): tf.Tensor4D {
  const d = depthwise(ctx, `${name}/dw`, tf.relu(x), g);
  return batchNorm(ctx, `${name}/bn`, convNd(ctx, `${name}/pw`, d, { kh: 1, kw: 1 }, cout));
}

/** A fully connected layer on [n, c] (with bias), counted in FLOPs. */
export function dense(ctx: Ctx, name: string, x: tf.Tensor2D, units: number): tf.Tensor2D {
  const cin = x.shape[1];
  const w = ctx.params.get(`${name}/w`, (seed) => tf.randomNormal([cin, units], 0, Math.sqrt(1 / cin), 'float32', seed));
  const b = ctx.params.constant(`${name}/b`, [units], 0);
  ctx.flops += 2 * cin * units;
  return tf.add(tf.matMul(x, w as tf.Tensor2D), b);
}
