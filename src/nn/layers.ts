import * as tf from '@tensorflow/tfjs-core';
import { batchNormTrain, hasFusedBatchNorm, hasFusedBatchNormRelu } from '../tensor/batch-norm.js';
import { movingAverages } from '../tensor/moving-averages.js';
import type { ParamStore } from './params.js';

/** Forward-pass context: parameters, train/eval mode, and the FLOP counter of the current pass. */
export interface Ctx {
  readonly params: ParamStore;
  readonly training: boolean;
  /** Multiply-adds x 2 of the convolutions run so far, per image. */
  flops: number;
  /** BatchNorm batch statistics of a training pass, applied to the moving averages after the step. */
  readonly bnUpdates: { name: string; mean: tf.Tensor; variance: tf.Tensor }[];
}

export function newCtx(params: ParamStore, training: boolean): Ctx {
  return { params, training, flops: 0, bnUpdates: [] };
}

/** 'same'-padded convolution (with bias when `bias`), counted in `ctx.flops`. */
export function conv(ctx: Ctx, name: string, x: tf.Tensor4D, k: number, cout: number, stride = 1, bias = false): tf.Tensor4D {
  const cin = x.shape[3];
  const w = ctx.params.convFilter(`${name}/w`, k, cin, cout);
  let y = tf.conv2d(x, w as tf.Tensor4D, stride, 'same');
  ctx.flops += 2 * y.shape[1] * y.shape[2] * k * k * cin * cout;
  if (bias) y = tf.add(y, ctx.params.constant(`${name}/b`, [cout], 0));
  return y;
}

export const BN_MOMENTUM = 0.9;
const BN_EPSILON = 1e-3;

/**
 * BatchNorm over N, H, W: batch statistics when training (moving averages updated after the step),
 * moving ones otherwise. Training runs the fused kernel where the backend has one (wasm with the
 * native kernels), else broadcasting ops rather than tf.batchNorm: the latter's gradient tiles its
 * parameters to the input's size, and Tile is very slow on the wasm backend. With `relu`, a ReLU
 * follows, inside the fused kernel where the backend has that too.
 */
export function batchNorm(ctx: Ctx, name: string, x: tf.Tensor4D, relu = false): tf.Tensor4D {
  const c = x.shape[3];
  const gamma = ctx.params.constant(`${name}/gamma`, [c], 1);
  const beta = ctx.params.constant(`${name}/beta`, [c], 0);
  const movingMean = ctx.params.constant(`${name}/moving_mean`, [c], 0, false);
  const movingVar = ctx.params.constant(`${name}/moving_var`, [c], 1, false);
  const activate = (y: tf.Tensor4D) => (relu ? tf.relu(y) : y);
  if (!ctx.training) return activate(tf.add(tf.mul(tf.sub(x, movingMean), tf.mul(gamma, tf.rsqrt(tf.add(movingVar, BN_EPSILON)))), beta));
  if (hasFusedBatchNorm()) {
    const fuse = relu && hasFusedBatchNormRelu();
    const { y, mean, variance } = batchNormTrain(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, BN_EPSILON, fuse);
    ctx.bnUpdates.push({ name, mean: tf.keep(mean), variance: tf.keep(variance) });
    return fuse ? y : activate(y);
  }
  const mean = tf.mean(x, [0, 1, 2]);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), [0, 1, 2]);
  ctx.bnUpdates.push({ name, mean: tf.keep(mean), variance: tf.keep(variance) });
  return activate(tf.add(tf.mul(centered, tf.mul(gamma, tf.rsqrt(tf.add(variance, BN_EPSILON)))), beta));
}

/** Applies the batch statistics of a training pass to the moving averages, and frees them. */
export function applyBnUpdates(ctx: Ctx): void {
  tf.tidy(() => {
    const all = ctx.params.all();
    const pairs = ctx.bnUpdates.flatMap((u) => [[all.get(`${u.name}/moving_mean`), u.mean], [all.get(`${u.name}/moving_var`), u.variance]] as const)
      .filter((p): p is readonly [tf.Variable, tf.Tensor] => p[0] !== undefined);
    const next = movingAverages(pairs, BN_MOMENTUM);
    pairs.forEach(([moving], i) => moving.assign(next[i]!));
  });
  for (const u of ctx.bnUpdates) {
    u.mean.dispose();
    u.variance.dispose();
  }
  ctx.bnUpdates.length = 0;
}

/** Conv -> BN (-> ReLU, fused into the BatchNorm where the backend can). */
export function convBn(ctx: Ctx, name: string, x: tf.Tensor4D, k: number, cout: number, stride = 1, relu = true): tf.Tensor4D {
  return batchNorm(ctx, `${name}/bn`, conv(ctx, name, x, k, cout, stride), relu);
}
