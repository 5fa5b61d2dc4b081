import * as tf from '@tensorflow/tfjs-core';
import type { LevelRange } from '../../spaces/nasfpn/genotype.js';
import type { ResolvedCell, ResolvedPyramid } from '../../spaces/nasfpn/graph.js';
import { batchNorm, conv, convBn, type Ctx } from '../../nn/layers.js';
import { maxPool, resample } from '../../nn/resample.js';

/**
 * The pyramid's input nodes: backbone levels projected to `channels` (1x1 conv + BN), levels above the
 * backbone's by stride-2 max pooling of the level below, as in Google's NAS-FPN.
 */
export function pyramidInputs(ctx: Ctx, features: Map<number, tf.Tensor4D>, r: LevelRange, channels: number): tf.Tensor4D[] {
  const out: tf.Tensor4D[] = [];
  for (let level = r.minLevel; level <= r.maxLevel; level++) {
    const f = features.get(level);
    if (f) out.push(f.shape[3] === channels ? f : batchNorm(ctx, `neck/in${level}/bn`, conv(ctx, `neck/in${level}`, f, 1, channels)));
    else out.push(maxPool(out[out.length - 1] as tf.Tensor4D, 2));
  }
  return out;
}

/** EfficientDet's fast normalised fusion: ReLU keeps the weights non-negative, the epsilon keeps the division stable. */
function weightedSum(ctx: Ctx, name: string, xs: readonly tf.Tensor4D[]): tf.Tensor4D {
  const w = tf.relu(ctx.params.constant(`${name}/fusion_w`, [xs.length], 1));
  const parts = tf.unstack(w);
  let acc = tf.mul(xs[0] as tf.Tensor4D, parts[0] as tf.Scalar);
  for (let k = 1; k < xs.length; k++) acc = tf.add(acc, tf.mul(xs[k] as tf.Tensor4D, parts[k] as tf.Scalar));
  return tf.div(acc, tf.add(tf.sum(w), 1e-4));
}

/** The global max as a max pool over the whole map: same value, and its gradient is MaxPoolGrad
 * rather than tf.max's broadcast Equal, which is slow on wasm (~4 ms for an 8x8x32 map at batch 16).
 * On ties (an all-zero channel after ReLU) the gradient goes to the first maximum, where tf.max's
 * goes to every tie: both are subgradients. */
function globalPool(f0: tf.Tensor4D, f1: tf.Tensor4D): tf.Tensor4D {
  const [, h, w] = f0.shape;
  const attention = tf.sigmoid(tf.maxPool(f0, [h, w], [h, w], 'valid'));
  return tf.add(f0, tf.mul(f1, attention));
}

/** A cell's merged input: its op over the operands resampled to its level (`at`), plus the added-in same-level nodes. */
function mergeCell(ctx: Ctx, name: string, cell: ResolvedCell, at: (node: number) => tf.Tensor4D): tf.Tensor4D {
  const [a, b] = cell.operands;
  if (cell.op === 'weighted_sum') return weightedSum(ctx, name, [a, b, ...cell.extras].map(at));
  // `first` never reads its second operand: resampling it would only cost time.
  let x: tf.Tensor4D = cell.op === 'first' ? at(a) : cell.op === 'sum' ? tf.add(at(a), at(b)) : globalPool(at(a), at(b));
  for (const extra of cell.extras) x = tf.add(x, at(extra));
  return x;
}

/** How the neck is built around the genotype's cells. */
export interface NeckShape {
  readonly channels: number;
  readonly repeats: number;
  /**
   * Add each cell's merged input to its conv output (x + BN(conv(ReLU(x)))). Off in the paper's cell.
   * On, a chain of cells is a linear path with convs on the side, as FPN's own top-down pathway is
   * (its 3x3 convs sit on the outputs, not in the chain), and gradients reach early cells undamped.
   */
  readonly residual: boolean;
}

/**
 * One pass of the pyramid: every cell resamples its operands to its level, merges them, adds the
 * unconsumed same-level nodes (output cells), then ReLU -> 3x3 conv -> BN. Returns the output nodes
 * P_min..P_max. `repeat` names the parameters (repeats do not share weights).
 */
export function pyramidPass(ctx: Ctx, inputs: readonly tf.Tensor4D[], p: ResolvedPyramid, shape: NeckShape, repeat: number): tf.Tensor4D[] {
  const nodes = inputs.slice();
  for (const cell of p.cells) {
    const name = `neck/r${repeat}/n${cell.node}`;
    const x = mergeCell(ctx, name, cell, (n) => resample(nodes[n] as tf.Tensor4D, p.levels[n] as number, cell.level));
    const y = convBn(ctx, name, tf.relu(x), 3, shape.channels, 1, false);
    nodes.push(shape.residual ? tf.add(x, y) : y);
  }
  return p.outputs.map((n) => nodes[n] as tf.Tensor4D);
}

/** The whole neck: inputs, then `repeats` stacked pyramid passes. */
export function neck(ctx: Ctx, features: Map<number, tf.Tensor4D>, p: ResolvedPyramid, r: LevelRange, shape: NeckShape): tf.Tensor4D[] {
  let feats = pyramidInputs(ctx, features, r, shape.channels);
  for (let i = 0; i < shape.repeats; i++) feats = pyramidPass(ctx, feats, p, shape, i);
  return feats;
}

