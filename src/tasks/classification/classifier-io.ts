import * as tf from '@tensorflow/tfjs-core';
import type { ModelKind } from '../../core/exportable.js';
import { newCtx } from '../../nn/layers.js';
import { withWeights } from '../../nn/param-weights.js';
import type { NasNetGenotype } from '../../spaces/nasnet/genotype.js';
import { NasNetClassifier, type NasNetNetConfig } from './nasnet-classifier.js';

/** The model kind of the classification proxy's networks in an exported model.json. */
export const CLASSIFIER_KIND = 'classifier' satisfies ModelKind;

/** Builds the classifier a manifest describes and loads its weights (all of them, each of its variable's shape). */
export function rebuildClassifier(genotype: NasNetGenotype, config: NasNetNetConfig, weights: ReadonlyMap<string, tf.Tensor>, where: string): NasNetClassifier {
  return withWeights(new NasNetClassifier(genotype, config, 0), weights, where);
}

/** Class logits of a batch of `n` images of the network's shape (NHWC, eval mode), flattened [n, classes]. */
export function classifierLogits(net: NasNetClassifier, images: Float32Array, n: number): Float32Array {
  const logits = tf.tidy(() => net.forward(newCtx(net.params, false), tf.tensor4d(images, [n, ...net.config.imageShape])));
  try {
    return logits.dataSync() as Float32Array;
  } finally {
    logits.dispose();
  }
}

/** Softmax probabilities of each class for one image of the network's shape. */
export function classProbabilities(net: NasNetClassifier, image: Float32Array): Float32Array {
  const logits = classifierLogits(net, image, 1);
  const top = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
