import * as tf from '@tensorflow/tfjs-core';
import type { ClassificationBatch } from '../../data/classification-batches.js';
import { applyBnUpdates, batchNorm, newCtx, type Ctx } from '../../nn/layers.js';
import { ParamStore } from '../../nn/params.js';
import { convNd, dense } from '../../nn/conv.js';
import type { NasNetGenotype } from '../../spaces/nasnet/genotype.js';
import { nasNetStages, type NasNetStagesConfig } from '../../architectures/nasnet/stages.js';

/** The classifier around the cells: the stacking of the cells, and the images and classes of the task. */
export interface NasNetNetConfig extends NasNetStagesConfig {
  /** Input images [height, width, channels]. */
  readonly imageShape: readonly [number, number, number];
  readonly classes: number;
  /** Stem filters as a multiple of F (NASNet's CIFAR stem: 3). */
  readonly stemMultiplier: number;
}

/**
 * A NASNet classifier: 3x3 conv + BN stem, the genotype's cells stacked in stages (nasNetStages), then
 * ReLU, global average pooling and a dense softmax head, trained on softmax cross-entropy.
 */
export class NasNetClassifier {
  readonly params: ParamStore;
  /** Trainable parameters and forward FLOPs (2 x multiply-adds) per image. */
  readonly size: { params: number; flops: number };

  constructor(
    readonly genotype: NasNetGenotype,
    readonly config: NasNetNetConfig,
    seed: number,
  ) {
    this.params = new ParamStore(seed);
    this.size = this.measure();
  }

  /** Class logits [n, classes]. */
  forward(ctx: Ctx, images: tf.Tensor4D): tf.Tensor2D {
    const c = this.config;
    const stem = batchNorm(ctx, 'stem/bn', convNd(ctx, 'stem', images, { kh: 3, kw: 3 }, Math.max(1, Math.round(c.stemMultiplier * c.filters))));
    const cells = nasNetStages(ctx, this.genotype, c, stem);
    return dense(ctx, 'head', tf.mean(tf.relu(cells), [1, 2]), c.classes);
  }

  private images(b: ClassificationBatch): tf.Tensor4D {
    return tf.tensor4d(b.images, [b.shape[0], b.shape[1], b.shape[2], b.shape[3]]);
  }

  /** One optimiser step on softmax cross-entropy; returns the loss (the caller checks it is finite). */
  trainStep(optimizer: tf.Optimizer, b: ClassificationBatch): number {
    const ctx = newCtx(this.params, true);
    const x = this.images(b);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(b.labels, 'int32'), this.config.classes));
    const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, this.forward(ctx, x)) as tf.Scalar, true, this.params.trainable());
    tf.dispose([x, y]);
    applyBnUpdates(ctx);
    const loss = (cost as tf.Scalar).dataSync()[0] as number;
    cost?.dispose();
    return loss;
  }

  /** Predicted classes (eval mode: BatchNorm moving statistics). */
  predict(b: ClassificationBatch): Int32Array {
    const ctx = newCtx(this.params, false);
    const top = tf.tidy(() => tf.argMax(this.forward(ctx, this.images(b)), 1));
    const out = top.dataSync() as Int32Array;
    top.dispose();
    return out;
  }

  /** One forward pass of a blank image: creates the variables and counts FLOPs. */
  private measure(): { params: number; flops: number } {
    const ctx = newCtx(this.params, false);
    tf.tidy(() => {
      this.forward(ctx, tf.zeros([1, ...this.config.imageShape]) as tf.Tensor4D);
    });
    return { params: this.params.count(), flops: ctx.flops };
  }

  dispose(): void {
    this.params.dispose();
  }
}
