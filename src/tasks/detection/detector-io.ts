import * as tf from '@tensorflow/tfjs-core';
import type { Detection } from '../../metrics/index.js';
import { Detector, type DetectorConfig } from './detector.js';
import { newCtx } from '../../nn/layers.js';
import type { NasFpnGenotype } from '../../spaces/nasfpn/genotype.js';
import type { ModelKind } from '../../core/exportable.js';
import { withWeights } from '../../nn/param-weights.js';

/** The model kind of the detection proxy's networks in an exported model.json. */
export const DETECTOR_KIND = 'detector' satisfies ModelKind;

/**
 * Builds the detector a manifest describes and loads its weights; every variable must have a weight of
 * its shape and every weight a variable, or the folder belongs to another network.
 */
export function rebuildDetector(genotype: NasFpnGenotype, config: DetectorConfig, weights: ReadonlyMap<string, tf.Tensor>, where: string): Detector {
  return withWeights(new Detector(genotype, config, 0), weights, where);
}

/** The raw outputs of a batch [n, H, W, 1]: class logits and box deltas, flattened (eval mode). */
export function detectorOutputs(det: Detector, images: Float32Array, n: number): { logits: Float32Array; deltas: Float32Array } {
  const size = det.config.imageSize;
  const out = tf.tidy(() => det.forward(newCtx(det.params, false), tf.tensor4d(images, [n, size, size, 1])));
  try {
    return { logits: out.logits.dataSync() as Float32Array, deltas: out.deltas.dataSync() as Float32Array };
  } finally {
    out.logits.dispose();
    out.deltas.dispose();
  }
}

/** Detections of one image of the detector's size (gray, [0, 1]). */
export function detect(det: Detector, image: Float32Array): Detection[] {
  const size = det.config.imageSize;
  return det.predict({ images: image, shape: [1, size, size, 1], objects: [[]] })[0] ?? [];
}
