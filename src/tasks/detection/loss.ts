import * as tf from '@tensorflow/tfjs-core';
import { hasFusedFocalLoss, sigmoidFocalLossSum } from '../../tensor/focal-loss.js';
import { hasFusedSmoothL1, smoothL1Sum } from '../../tensor/smooth-l1.js';
import type { AnchorTargets } from './anchors.js';

export interface LossParts {
  readonly total: tf.Scalar;
  readonly cls: tf.Scalar;
  readonly box: tf.Scalar;
}

/**
 * RetinaNet loss: sigmoid focal loss (alpha 0.25, gamma 2) over non-ignored anchors plus smooth-L1 box
 * regression over positives, both normalised by the number of positives.
 */
export function detectionLoss(logits: tf.Tensor3D, deltas: tf.Tensor3D, t: AnchorTargets, classes: number, alpha = 0.25, gamma = 2, beta = 0.11): LossParts {
  const [n, anchors] = logits.shape;
  const norm = Math.max(1, t.positives);
  const pos = new Float32Array(n * anchors);
  t.labels.forEach((label, k) => {
    if (label >= 0) pos[k] = 1;
  });
  const positive = tf.tensor3d(pos, [n, anchors, 1]);
  const cls = tf.div(focalSum(logits, t, classes, alpha, gamma), norm) as tf.Scalar;
  const box = tf.div(boxSum(deltas, tf.tensor3d(t.boxes, [n, anchors, 4]), positive, beta), norm) as tf.Scalar;
  return { total: tf.add(cls, box) as tf.Scalar, cls, box };
}

/** Smooth-L1 sum over the positive anchors' box deltas: fused where the backend can. */
function boxSum(deltas: tf.Tensor3D, targets: tf.Tensor3D, positive: tf.Tensor3D, beta: number): tf.Scalar {
  if (hasFusedSmoothL1()) return smoothL1Sum(deltas, targets, positive, beta);
  const diff = tf.abs(tf.sub(deltas, targets));
  // smooth L1 without a branch (the gradient of tf.where's condition is undefined): with m = min(d, beta),
  // 0.5 m^2 / beta + (d - m) is 0.5 d^2 / beta below beta and d - beta / 2 above.
  const m = tf.minimum(diff, beta);
  const smooth = tf.add(tf.div(tf.mul(tf.square(m), 0.5), beta), tf.sub(diff, m));
  return tf.sum(tf.mul(smooth, positive)) as tf.Scalar;
}

/** Sum of the sigmoid focal loss over the anchors that are not ignored: fused where the backend can. */
function focalSum(logits: tf.Tensor3D, t: AnchorTargets, classes: number, alpha: number, gamma: number): tf.Scalar {
  if (hasFusedFocalLoss()) return sigmoidFocalLossSum(logits, tf.tensor1d(t.labels, 'int32'), alpha, gamma);
  const [n, anchors] = logits.shape;
  // Targets are built in JS: one-hot rows (all zero for background and ignored anchors) and a mask.
  const hot = new Float32Array(n * anchors * classes);
  const use = new Float32Array(n * anchors);
  t.labels.forEach((label, k) => {
    if (label >= 0) hot[k * classes + label] = 1;
    if (label !== -2) use[k] = 1;
  });
  const onehot = tf.tensor3d(hot, [n, anchors, classes]);
  const counted = tf.tensor3d(use, [n, anchors, 1]);
  const p = tf.sigmoid(logits);
  const ce = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, onehot)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
  const pt = tf.add(tf.mul(p, onehot), tf.mul(tf.sub(1, p), tf.sub(1, onehot)));
  const at = tf.add(tf.mul(onehot, alpha), tf.mul(tf.sub(1, onehot), 1 - alpha));
  // gamma 2 (the paper's) as a square: tf.pow's gradient also differentiates the exponent, with logs.
  const miss = tf.sub(1, pt);
  const focal = tf.mul(tf.mul(at, gamma === 2 ? tf.square(miss) : tf.pow(miss, gamma)), ce);
  return tf.sum(tf.mul(focal, counted)) as tf.Scalar;
}
