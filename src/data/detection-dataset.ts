// Random-access dataset over the synthetic detection images, plus NHWC batching.
import type { AreaThresholds } from '../metrics/index.js';
import {
  areaThresholdsForSides,
  resolveDetectionConfig,
  type DigitDetectionConfig,
} from './detection-config.js';
import { hashSeed, Prng } from './prng.js';
import { synthesizeSample, type DetectionSample, type DigitObject } from './synthesize.js';

export interface DetectionBatch {
  /** NHWC, shape [n, H, W, 1], values in [0, 1]. */
  readonly images: Float32Array;
  readonly shape: readonly [n: number, height: number, width: number, channels: 1];
  /** Ground truth of each image, in batch order. */
  readonly objects: readonly (readonly DigitObject[])[];
  /** Dataset indices of the images. */
  readonly indices: readonly number[];
}

export interface BatchOptions {
  /** Shuffle the order each epoch (seeded by the dataset seed and `epoch`). Default false. */
  readonly shuffle?: boolean;
  readonly epoch?: number;
  /** Drop a last batch smaller than `batchSize`. Default false. */
  readonly dropLast?: boolean;
  /** Start at this batch of the epoch (a training run continued mid-epoch); the skipped ones are not made. */
  readonly fromBatch?: number;
}

export class DigitDetectionDataset {
  readonly config: DigitDetectionConfig;
  /** Size buckets matched to this data's scale range; pass them to evaluateDetections. */
  readonly areaThresholds: AreaThresholds;

  constructor(config: Partial<DigitDetectionConfig> = {}) {
    this.config = resolveDetectionConfig(config);
    this.areaThresholds = areaThresholdsForSides(this.config.sideRange);
  }

  get length(): number {
    return this.config.numImages;
  }

  /** Generated on demand (~0.1 ms) rather than stored: a whole split never has to sit in memory. */
  get(index: number): DetectionSample {
    if (!(Number.isInteger(index) && index >= 0 && index < this.length)) {
      throw new RangeError(`DigitDetectionDataset: index ${index} out of [0, ${this.length})`);
    }
    return synthesizeSample(this.config, index);
  }

  *[Symbol.iterator](): Generator<DetectionSample> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }

  *batches(batchSize: number, opts: BatchOptions = {}): Generator<DetectionBatch> {
    if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new RangeError('batchSize must be a positive integer');
    const order = Array.from({ length: this.length }, (_, i) => i);
    if (opts.shuffle) new Prng(hashSeed(this.config.seed, 3, opts.epoch ?? 0)).shuffle(order);
    const side = this.config.canvasSize;
    const pixels = side * side;
    for (let start = (opts.fromBatch ?? 0) * batchSize; start < order.length; start += batchSize) {
      const indices = order.slice(start, start + batchSize);
      if (opts.dropLast && indices.length < batchSize) break;
      const images = new Float32Array(indices.length * pixels);
      const objects = indices.map((idx, k) => {
        const s = this.get(idx);
        images.set(s.image, k * pixels);
        return s.objects;
      });
      yield { images, shape: [indices.length, side, side, 1], objects, indices };
    }
  }
}

export function createDigitDetectionDataset(config: Partial<DigitDetectionConfig> = {}): DigitDetectionDataset {
  return new DigitDetectionDataset(config);
}
