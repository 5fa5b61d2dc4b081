import * as tf from '@tensorflow/tfjs-core';
import type { PolicyTerms } from './lstm-tf.js';

/** -mean(A * log p) - w * mean(H): the REINFORCE loss with an entropy bonus (A and H per sample). */
export function reinforceLoss(terms: PolicyTerms, advantages: readonly number[], entropyWeight: number): tf.Tensor {
  return tf.neg(tf.add(tf.mean(tf.mul(terms.logp, tf.tensor1d(advantages as number[]))), tf.mul(tf.mean(terms.entropy), entropyWeight)));
}

/** PPO's clipped surrogate with an entropy bonus: -mean(min(r A, clip(r, 1-eps, 1+eps) A)) - w * mean(H), r = p / p_old. */
export function ppoLoss(terms: PolicyTerms, advantages: readonly number[], oldLogp: readonly number[], clip: number, entropyWeight: number): tf.Tensor {
  const a = tf.tensor1d(advantages as number[]);
  const ratio = tf.exp(tf.sub(terms.logp, tf.tensor1d(oldLogp as number[])));
  const surrogate = tf.minimum(tf.mul(ratio, a), tf.mul(tf.clipByValue(ratio, 1 - clip, 1 + clip), a));
  return tf.neg(tf.add(tf.mean(surrogate), tf.mul(tf.mean(terms.entropy), entropyWeight)));
}
