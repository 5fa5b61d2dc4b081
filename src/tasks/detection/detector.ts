import * as tf from '@tensorflow/tfjs-core';
import type { Detection } from '../../metrics/index.js';
import { resolvePyramid, type ResolvedPyramid } from '../../spaces/nasfpn/graph.js';
import type { NasFpnGenotype } from '../../spaces/nasfpn/genotype.js';
import type { NasFpnSpaceConfig } from '../../spaces/nasfpn/space.js';
import { anchorsPerLocation, assignTargets, DEFAULT_ANCHORS, generateAnchors, type AnchorConfig } from './anchors.js';
import { backbone, DEFAULT_BACKBONE_WIDTHS } from './backbone.js';
import { decodeDetections, DEFAULT_DECODE } from './decode.js';
import { retinaHead } from './head.js';
import { applyBnUpdates, newCtx, type Ctx } from '../../nn/layers.js';
import { detectionLoss } from './loss.js';
import { neck, type NeckShape } from '../../architectures/nasfpn/neck.js';
import { ParamStore } from '../../nn/params.js';

export interface DetectorConfig {
  readonly pyramid: NasFpnSpaceConfig;
  readonly imageSize: number;
  readonly classes: number;
  readonly backboneWidths: readonly number[];
  readonly headConvs: number;
  readonly headChannels: number;
  readonly headNorm: boolean;
  /** One head for every level (RetinaNet) or one per level. */
  readonly headShared: boolean;
  readonly anchors: AnchorConfig;
  /** Residual merging cells (see NeckShape.residual). */
  readonly cellResidual: boolean;
}

export function detectorConfig(pyramid: NasFpnSpaceConfig, over: Partial<Omit<DetectorConfig, 'pyramid'>> = {}): DetectorConfig {
  return {
    pyramid,
    imageSize: 128,
    classes: 10,
    backboneWidths: DEFAULT_BACKBONE_WIDTHS,
    headConvs: 1,
    headChannels: pyramid.channels,
    headNorm: true,
    headShared: true,
    anchors: DEFAULT_ANCHORS,
    cellResidual: false,
    ...over,
  };
}

export interface Batch {
  /** NHWC, values in [0, 1]. */
  readonly images: Float32Array;
  readonly shape: readonly [number, number, number, number];
  readonly objects: readonly (readonly { box: readonly [number, number, number, number]; label: number }[])[];
}

export interface LossParts {
  readonly loss: number;
  readonly cls: number;
  readonly box: number;
}

function lossParts(values: tf.backend_util.TypedArray | ArrayLike<number>): LossParts {
  return { loss: Number(values[0]), cls: Number(values[1]), box: Number(values[2]) };
}

/**
 * A RetinaNet-style detector whose feature pyramid is built from a NAS-FPN genotype: ResNet-10-style
 * backbone (C2..C5), the searched neck (stacked `repeats` times), a head shared across levels.
 */
export class Detector {
  readonly params: ParamStore;
  readonly anchors: Float32Array;
  /** Trainable parameters and forward FLOPs per image; computing them also creates every variable. */
  readonly size: { params: number; flops: number; neckFlops: number };
  private readonly pyramid: ResolvedPyramid;

  constructor(
    readonly genotype: NasFpnGenotype,
    readonly config: DetectorConfig,
    seed: number,
  ) {
    const p = config.pyramid;
    if (config.imageSize % 2 ** p.maxLevel !== 0) throw new RangeError(`image size ${config.imageSize} must be divisible by 2^${p.maxLevel}`);
    if (p.minLevel < 2) throw new RangeError('the backbone gives levels from C2 up: minLevel must be >= 2');
    this.params = new ParamStore(seed);
    this.pyramid = resolvePyramid(genotype, p);
    this.anchors = generateAnchors(config.imageSize, p.minLevel, p.maxLevel, config.anchors);
    this.size = this.measure();
  }

  /** Class logits [n, anchors, K] and box deltas [n, anchors, 4]. */
  forward(ctx: Ctx, images: tf.Tensor4D): { logits: tf.Tensor3D; deltas: tf.Tensor3D } {
    const c = this.config;
    const features = backbone(ctx, images, c.backboneWidths);
    const levels = neck(ctx, features, this.pyramid, c.pyramid, this.neckShape);
    return retinaHead(ctx, levels, { convs: c.headConvs, norm: c.headNorm, shared: c.headShared, channels: c.headChannels, classes: c.classes, anchors: anchorsPerLocation(c.anchors) });
  }

  private get neckShape(): NeckShape {
    const p = this.config.pyramid;
    return { channels: p.channels, repeats: p.repeats, residual: this.config.cellResidual };
  }

  private images(b: Batch): tf.Tensor4D {
    return tf.tensor4d(b.images, [b.shape[0], b.shape[1], b.shape[2], b.shape[3]]);
  }

  /** One optimiser step; returns the loss parts (the caller checks they are finite). */
  trainStep(optimizer: tf.Optimizer, b: Batch): LossParts {
    const losses = this.step(optimizer, b);
    try {
      return lossParts(losses.dataSync());
    } finally {
      losses.dispose();
    }
  }

  /** trainStep reading its losses asynchronously, the only way webgpu reads a tensor in Node. */
  async trainStepAsync(optimizer: tf.Optimizer, b: Batch): Promise<LossParts> {
    const losses = this.step(optimizer, b);
    try {
      return lossParts(await losses.data());
    } finally {
      losses.dispose();
    }
  }

  /** Runs one optimiser step; returns [total, cls, box] as one tensor, for one read. */
  private step(optimizer: tf.Optimizer, b: Batch): tf.Tensor1D {
    const targets = assignTargets(this.anchors, b.objects);
    const ctx = newCtx(this.params, true);
    let parts: tf.Tensor | null = null;
    const x = this.images(b);
    optimizer.minimize(
      () => {
        const out = this.forward(ctx, x);
        const l = detectionLoss(out.logits, out.deltas, targets, this.config.classes);
        parts = tf.keep(tf.stack([l.total, l.cls, l.box]));
        return l.total;
      },
      false,
      this.params.trainable(),
    );
    x.dispose();
    applyBnUpdates(ctx);
    return parts as unknown as tf.Tensor1D;
  }

  /** Detections per image (eval mode: BatchNorm moving statistics). */
  predict(b: Batch): Detection[][] {
    const [scores, deltas] = this.scoresAndDeltas(b);
    const s = scores.dataSync() as Float32Array;
    const d = deltas.dataSync() as Float32Array;
    tf.dispose([scores, deltas]);
    return this.decode(b, s, d);
  }

  /** predict() reading asynchronously, the only way webgpu reads a tensor in Node. */
  async predictAsync(b: Batch): Promise<Detection[][]> {
    const [scores, deltas] = this.scoresAndDeltas(b);
    const [s, d] = (await Promise.all([scores.data(), deltas.data()])) as [Float32Array, Float32Array];
    tf.dispose([scores, deltas]);
    return this.decode(b, s, d);
  }

  private scoresAndDeltas(b: Batch): [tf.Tensor, tf.Tensor] {
    const ctx = newCtx(this.params, false);
    return tf.tidy(() => {
      const out = this.forward(ctx, this.images(b));
      return [tf.sigmoid(out.logits), out.deltas];
    });
  }

  private decode(b: Batch, s: Float32Array, d: Float32Array): Detection[][] {
    const n = b.shape[0];
    const perScores = s.length / n;
    const perDeltas = d.length / n;
    return Array.from({ length: n }, (_, i) =>
      decodeDetections(s.subarray(i * perScores, (i + 1) * perScores), d.subarray(i * perDeltas, (i + 1) * perDeltas), this.anchors, this.config.classes, this.config.imageSize, DEFAULT_DECODE),
    );
  }

  /** One forward pass of a blank image: creates the variables and counts FLOPs (2 x multiply-adds of the convolutions). */
  private measure(): { params: number; flops: number; neckFlops: number } {
    const ctx = newCtx(this.params, false);
    const size = this.config.imageSize;
    let neckFlops = 0;
    tf.tidy(() => {
      const x = tf.zeros([1, size, size, 1]) as tf.Tensor4D;
      const features = backbone(ctx, x, this.config.backboneWidths);
      const before = ctx.flops;
      const levels = neck(ctx, features, this.pyramid, this.config.pyramid, this.neckShape);
      neckFlops = ctx.flops - before;
      const c = this.config;
      retinaHead(ctx, levels, { convs: c.headConvs, norm: c.headNorm, shared: c.headShared, channels: c.headChannels, classes: c.classes, anchors: anchorsPerLocation(c.anchors) });
    });
    return { params: this.params.count(), flops: ctx.flops, neckFlops };
  }

  dispose(): void {
    this.params.dispose();
  }
}
