/**
 * The fixed proxy CNN both throughput benchmarks train (throughput-vs-pytorch.ts in its own thread,
 * worker-scaling.ts in Piscina workers through train-worker.ts). Importing it has no side effects.
 *
 * The CNN (NHWC, 32x32x3 input, 10 classes; every conv 3x3 'same', no bias, then BatchNorm + ReLU):
 *   conv 3->32 @32x32, maxpool 2, conv 32->32 @16x16, conv 32->64 @16x16, maxpool 2,
 *   conv 64->64 @8x8, global average pool, dense 64->10; softmax cross-entropy, Adam (lr 1e-3).
 * benchmarks/pytorch/train_throughput.py defines the same network; keep the two in step.
 */
import * as tf from '@tensorflow/tfjs-core';
import { applyBnUpdates, convBn, newCtx, type Ctx } from '../../src/nn/layers.js';
import { maxPool } from '../../src/nn/resample.js';
import { ParamStore } from '../../src/nn/params.js';
import { adam } from '../../src/tensor/index.js';

export const CNN = { size: 32, channels: 3, classes: 10 } as const;

/** Conv layers as [cin, cout, output side]; the single source for FLOP counts and the description. */
export const CNN_CONVS: readonly (readonly [number, number, number])[] = [[3, 32, 32], [32, 32, 16], [32, 64, 16], [64, 64, 8]];
export const CNN_LAYERS = 'conv3x3 3->32 @32 +BN+ReLU, maxpool2, conv3x3 32->32 @16 +BN+ReLU, conv3x3 32->64 @16 +BN+ReLU, maxpool2, conv3x3 64->64 @8 +BN+ReLU, global avg pool, dense 64->10';

/** Forward FLOPs per image (2 x multiply-adds of convs and dense; BN, ReLU, pooling left out as negligible). */
export function cnnForwardFlops(): number {
  const convs = CNN_CONVS.reduce((f, [cin, cout, side]) => f + 2 * side * side * 9 * cin * cout, 0);
  return convs + 2 * 64 * CNN.classes;
}

export class ProxyCnn {
  readonly params: ParamStore;
  readonly optimizer = adam(1e-3);
  private readonly batches: { x: tf.Tensor4D; y: tf.Tensor2D }[] = [];

  /** `batches` fixed random batches are made once and cycled: data loading is not what is measured. */
  constructor(readonly batchSize: number, seed = 1, batches = 4) {
    this.params = new ParamStore(seed);
    for (let i = 0; i < batches; i++) {
      this.batches.push(tf.tidy(() => ({
        x: tf.randomUniform([batchSize, CNN.size, CNN.size, CNN.channels], 0, 1, 'float32', seed + i) as tf.Tensor4D,
        y: tf.oneHot(tf.randomUniform([batchSize], 0, CNN.classes, 'int32', seed + 100 + i) as tf.Tensor1D, CNN.classes) as tf.Tensor2D,
      })));
    }
    tf.tidy(() => { this.forward(newCtx(this.params, false), this.batches[0]!.x); }); // creates the variables
  }

  forward(ctx: Ctx, x: tf.Tensor4D): tf.Tensor2D {
    let h = x;
    CNN_CONVS.forEach(([, cout], i) => {
      h = convBn(ctx, `c${i}`, h, 3, cout);
      if (i === 0 || i === 2) h = maxPool(h, 2);
    });
    const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
    const w = ctx.params.get('fc/w', (s) => tf.randomNormal([64, CNN.classes], 0, Math.sqrt(1 / 64), 'float32', s));
    const b = ctx.params.constant('fc/b', [CNN.classes], 0);
    return tf.add(tf.matMul(pooled, w), b);
  }

  /** One Adam step on batch `i` (cycled); returns the loss. */
  step(i: number): number {
    const loss = this.minimize(i);
    const value = loss.dataSync()[0]!; // a sync point, as a real training loop reads its loss
    loss.dispose();
    return value;
  }

  /** step() reading its loss asynchronously, the only way webgpu reads a tensor in Node. */
  async stepAsync(i: number): Promise<number> {
    const loss = this.minimize(i);
    const value = (await loss.data())[0]!;
    loss.dispose();
    return value;
  }

  private minimize(i: number): tf.Scalar {
    const { x, y } = this.batches[i % this.batches.length]!;
    const ctx = newCtx(this.params, true);
    const loss = this.optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, this.forward(ctx, x)) as tf.Scalar, true, this.params.trainable());
    applyBnUpdates(ctx);
    return loss!;
  }

  dispose(): void {
    for (const b of this.batches) tf.dispose([b.x, b.y]);
    this.optimizer.dispose();
    this.params.dispose();
  }
}

