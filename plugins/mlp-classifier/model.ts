import type { ClassificationBatch } from 'tsnas/data';
import { dense, newCtx, ParamStore, type Ctx } from 'tsnas/nn';
import { tf } from 'tsnas/tensor';
import type { MlpGenotype } from './space.js';

const ACTIVATIONS = { relu: tf.relu, tanh: tf.tanh, elu: tf.elu } as const;

/** A multilayer perceptron on flattened images: dense hidden layers, then a dense softmax head. */
export class Mlp {
  readonly params: ParamStore;
  private readonly widths: number[];

  constructor(
    private readonly genotype: MlpGenotype,
    private readonly classes: number,
    seed: number,
  ) {
    this.params = new ParamStore(seed);
    this.widths = [genotype.hidden1, genotype.hidden2].filter((w) => w > 0);
  }

  /** Logits [n, classes]; `dense` counts the FLOPs of the pass in `ctx`. */
  private forward(ctx: Ctx, b: ClassificationBatch): tf.Tensor2D {
    const [n, h, w, c] = b.shape;
    let x = tf.tensor2d(b.images, [n, h * w * c]);
    this.widths.forEach((units, i) => (x = ACTIVATIONS[this.genotype.activation](dense(ctx, `hidden${i + 1}`, x, units))));
    return dense(ctx, 'head', x, this.classes);
  }

  /** One optimiser step on softmax cross-entropy; returns the loss. */
  trainStep(optimizer: tf.Optimizer, b: ClassificationBatch): number {
    const ctx = newCtx(this.params, true);
    const cost = optimizer.minimize(() => {
      const y = tf.oneHot(tf.tensor1d(b.labels, 'int32'), this.classes);
      return tf.losses.softmaxCrossEntropy(y, this.forward(ctx, b)) as tf.Scalar;
    }, true, this.params.trainable());
    const loss = cost!.dataSync()[0] as number;
    cost!.dispose();
    return loss;
  }

  predict(b: ClassificationBatch): Int32Array {
    const top = tf.tidy(() => tf.argMax(this.forward(newCtx(this.params, false), b), 1));
    const classes = top.dataSync() as Int32Array;
    top.dispose();
    return classes;
  }

  /** Trainable parameters and FLOPs per image, from one pass of a blank image (which also creates the variables). */
  size(shape: readonly [number, number, number]): { params: number; flops: number } {
    const ctx = newCtx(this.params, false);
    const blank: ClassificationBatch = { images: new Float32Array(shape[0] * shape[1] * shape[2]), shape: [1, ...shape], labels: new Int32Array(1) };
    tf.tidy(() => this.forward(ctx, blank));
    return { params: this.params.count(), flops: ctx.flops };
  }

  dispose(): void {
    this.params.dispose();
  }
}
