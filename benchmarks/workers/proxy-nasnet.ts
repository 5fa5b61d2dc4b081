/**
 * The fixed NASNet-A network the throughput benchmarks train: the classification proxy's default child
 * (28x28x1, 10 classes; N 1, F 8, two reductions, stem 2F), on fixed random batches, Adam (lr 1e-3).
 * benchmarks/pytorch/train_throughput.py rebuilds it from nasNetSpec(). Importing it has no side effects.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ClassificationBatch } from '../../src/data/classification-batches.js';
import { outputStates } from '../../src/spaces/nasnet/genotype.js';
import { NASNET_A } from '../../src/spaces/nasnet/named.js';
import { NasNetClassifier, type NasNetNetConfig } from '../../src/tasks/classification/nasnet-classifier.js';
import { adam, type FusedAdamOptimizer } from '../../src/tensor/index.js';

/** The classification-proxy evaluator's default network on MNIST-shaped images. */
export const NASNET_PROXY_NET: NasNetNetConfig = { imageShape: [28, 28, 1], classes: 10, cellsPerStage: 1, filters: 8, reductions: 2, stemMultiplier: 2 };
export const NASNET_LAYERS = 'NASNet-A cells (5 blocks each), 28x28x1, N 1, F 8, 2 reductions, stem 3x3 conv to 16, global avg pool, dense to 10';

/** What the PyTorch twin needs to build the same network: the cells with their output states resolved. */
export function nasNetSpec(batch: number): object {
  const cell = (c: typeof NASNET_A.normal) => ({ blocks: c.blocks, outputs: outputStates(c) });
  return { net: NASNET_PROXY_NET, normal: cell(NASNET_A.normal), reduction: cell(NASNET_A.reduction), batch };
}

export class ProxyNasNet {
  readonly net: NasNetClassifier;
  private readonly optimizer: FusedAdamOptimizer = adam(1e-3);
  private readonly batches: ClassificationBatch[] = [];

  /** `batches` fixed random batches are made once and cycled: data loading is not what is measured. */
  constructor(readonly batchSize: number, seed = 1, batches = 4) {
    this.net = new NasNetClassifier(NASNET_A, NASNET_PROXY_NET, seed);
    const [h, w, c] = NASNET_PROXY_NET.imageShape;
    for (let i = 0; i < batches; i++) {
      const [images, labels] = tf.tidy(() => [
        tf.randomUniform([batchSize * h * w * c], 0, 1, 'float32', seed + i).dataSync() as Float32Array,
        tf.randomUniform([batchSize], 0, NASNET_PROXY_NET.classes, 'int32', seed + 100 + i).dataSync() as Int32Array,
      ]);
      this.batches.push({ images: images!, labels: labels as Int32Array, shape: [batchSize, h, w, c] });
    }
  }

  /** One Adam step on batch `i` (cycled); returns the loss (trainStep reads it: a sync point). */
  step(i: number): number {
    return this.net.trainStep(this.optimizer, this.batches[i % this.batches.length]!);
  }

  dispose(): void {
    this.optimizer.dispose();
    this.net.dispose();
  }
}
