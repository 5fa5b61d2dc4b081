import * as tf from '@tensorflow/tfjs-core';
import { conv, batchNorm, convBn, type Ctx } from '../../nn/layers.js';

/** Channels of the stem and of the stages giving C2..C5 (strides 4..32). */
export const DEFAULT_BACKBONE_WIDTHS = [16, 16, 24, 32, 48] as const;

/** Basic residual block: 3x3 conv-BN-ReLU, 3x3 conv-BN, plus a (projected) shortcut, then ReLU. */
function basicBlock(ctx: Ctx, name: string, x: tf.Tensor4D, cout: number, stride: number): tf.Tensor4D {
  const y = convBn(ctx, `${name}/a`, x, 3, cout, stride);
  const z = batchNorm(ctx, `${name}/b/bn`, conv(ctx, `${name}/b`, y, 3, cout));
  const shortcut = stride === 1 && x.shape[3] === cout ? x : batchNorm(ctx, `${name}/proj/bn`, conv(ctx, `${name}/proj`, x, 1, cout, stride));
  return tf.relu(tf.add(z, shortcut)) as tf.Tensor4D;
}

/**
 * A ResNet-10-style backbone (the NAS-FPN paper's proxy used ResNet-10): a stride-2 stem, then one
 * basic block per stage, each halving the resolution. Returns the feature maps by level: C2..C5.
 */
export function backbone(ctx: Ctx, images: tf.Tensor4D, widths: readonly number[] = DEFAULT_BACKBONE_WIDTHS): Map<number, tf.Tensor4D> {
  let x = convBn(ctx, 'backbone/stem', images, 3, widths[0] as number, 2);
  const out = new Map<number, tf.Tensor4D>();
  for (let level = 2; level <= 5; level++) {
    x = basicBlock(ctx, `backbone/c${level}`, x, widths[level - 1] as number, 2);
    out.set(level, x);
  }
  return out;
}
