// Random-access dataset over the synthetic detection images, plus NHWC batching.
import type { AreaThresholds } from '../metrics/index.js';
import {
  areaThresholdsForSides,
  resolveDetectionConfig,
  type DigitDetectionConfig,
} from './detection-config.js';
import { detectionBatches, type BatchOptions, type DetectionBatch } from './detection-batches.js';
import { synthesizeSample, type DetectionSample, type DigitObject } from './synthesize.js';

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

  *batches(batchSize: number, opts: BatchOptions = {}): Generator<DetectionBatch<DigitObject>> {
    const side = this.config.canvasSize;
    yield* detectionBatches<DigitObject>({
      count: this.length,
      shape: [side, side, 1],
      seed: this.config.seed,
      read: (index, out, offset) => {
        const s = this.get(index);
        out.set(s.image, offset);
        return s.objects;
      },
    }, batchSize, opts);
  }
}

export function createDigitDetectionDataset(config: Partial<DigitDetectionConfig> = {}): DigitDetectionDataset {
  return new DigitDetectionDataset(config);
}
