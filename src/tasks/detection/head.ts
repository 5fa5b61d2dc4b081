import * as tf from '@tensorflow/tfjs-core';
import { batchNorm, conv, type Ctx } from '../../nn/layers.js';

export interface HeadConfig {
  readonly convs: number;
  /** BatchNorm after each subnet conv, with statistics per level (the convs stay shared), as EfficientDet does. */
  readonly norm: boolean;
  readonly channels: number;
  readonly classes: number;
  readonly anchors: number;
  /** One set of head convs for every level (RetinaNet), or one per level. */
  readonly shared: boolean;
}

/** Prior probability of the classification bias init (RetinaNet): stable focal-loss training from the start. */
const PRIOR = 0.01;

/**
 * RetinaNet head shared across levels: a classification and a box subnet of `convs` 3x3 conv + ReLU
 * each, then A*K class logits and A*4 box deltas per location. Returns them flattened to
 * [n, anchors, K] and [n, anchors, 4], level by level (the order of generateAnchors).
 */
export function retinaHead(ctx: Ctx, levels: readonly tf.Tensor4D[], h: HeadConfig): { logits: tf.Tensor3D; deltas: tf.Tensor3D } {
  const logits: tf.Tensor3D[] = [];
  const deltas: tf.Tensor3D[] = [];
  levels.forEach((f, level) => {
    const n = f.shape[0];
    let c = f;
    let b = f;
    // BN -> ReLU (fused where the backend can), or ReLU alone.
    const normRelu = (name: string, x: tf.Tensor4D) => (h.norm ? batchNorm(ctx, `${name}/bn${level}`, x, true) : tf.relu(x));
    const head = h.shared ? 'head' : `head${level}`;
    for (let i = 0; i < h.convs; i++) {
      c = normRelu(`${head}/cls${i}`, conv(ctx, `${head}/cls${i}`, c, 3, h.channels, 1, !h.norm));
      b = normRelu(`${head}/box${i}`, conv(ctx, `${head}/box${i}`, b, 3, h.channels, 1, !h.norm));
    }
    const bias = ctx.params.constant(`${head}/cls_out/b`, [h.anchors * h.classes], -Math.log((1 - PRIOR) / PRIOR));
    const cls = tf.add(conv(ctx, `${head}/cls_out`, c, 3, h.anchors * h.classes), bias);
    const box = conv(ctx, `${head}/box_out`, b, 3, h.anchors * 4, 1, true);
    logits.push(tf.reshape(cls, [n, -1, h.classes]));
    deltas.push(tf.reshape(box, [n, -1, 4]));
  });
  return { logits: tf.concat(logits, 1), deltas: tf.concat(deltas, 1) };
}
