// NHWC batches of detection images with their boxes, over any source that writes image `index` into
// a buffer: the synthetic scenes and every DetectionData (COCO, a plugin's) batch the same way, so a
// seed gives one training order whatever holds the data.
import type { DataSplit, DetectionData, LabelledBox } from '../core/dataset.js';
import type { AreaThresholds } from '../metrics/index.js';
import { hashSeed, Prng } from './prng.js';

export interface DetectionBatch<O extends LabelledBox = LabelledBox> {
  /** NHWC, values in [0, 1]. */
  readonly images: Float32Array;
  readonly shape: readonly [n: number, height: number, width: number, channels: number];
  /** Ground truth of each image, in batch order. */
  readonly objects: readonly (readonly O[])[];
  /** Dataset indices of the images. */
  readonly indices: readonly number[];
}

export interface BatchOptions {
  /** Shuffle the order each epoch (seeded by the data's seed and `epoch`). Default false. */
  readonly shuffle?: boolean;
  readonly epoch?: number;
  /** Drop a last batch smaller than `batchSize`. Default false. */
  readonly dropLast?: boolean;
  /** Start at this batch of the epoch (a training run continued mid-epoch); the skipped ones are not made. */
  readonly fromBatch?: number;
}

/** What batches are made of: `count` images of `shape` ([h, w, c]); `read` writes one and returns its boxes. */
export interface BatchSource<O extends LabelledBox> {
  readonly count: number;
  readonly shape: readonly [number, number, number];
  /** Mixed into the shuffle's seed, with the epoch. */
  readonly seed: number;
  read(index: number, out: Float32Array, offset: number): readonly O[];
}

export function* detectionBatches<O extends LabelledBox>(source: BatchSource<O>, batchSize: number, opts: BatchOptions = {}): Generator<DetectionBatch<O>> {
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new RangeError('batchSize must be a positive integer');
  const order = Array.from({ length: source.count }, (_, i) => i);
  if (opts.shuffle) new Prng(hashSeed(source.seed, 3, opts.epoch ?? 0)).shuffle(order);
  const [h, w, c] = source.shape;
  const pixels = h * w * c;
  for (let start = (opts.fromBatch ?? 0) * batchSize; start < order.length; start += batchSize) {
    const indices = order.slice(start, start + batchSize);
    if (opts.dropLast && indices.length < batchSize) break;
    const images = new Float32Array(indices.length * pixels);
    const objects = indices.map((idx, k) => source.read(idx, images, k * pixels));
    yield { images, shape: [indices.length, h, w, c], objects, indices };
  }
}

/** One split as the detection trainer reads it: its length, its AP size buckets and its batches. */
export interface DetectionSplitData {
  readonly length: number;
  readonly areaThresholds: AreaThresholds;
  batches(batchSize: number, opts?: BatchOptions): Iterable<DetectionBatch>;
}

/** A split of a dataset, batched; its shuffles are seeded by the data's `orderSeed` (0 when it has none). */
export function splitOf(data: DetectionData, split: DataSplit): DetectionSplitData {
  const source: BatchSource<LabelledBox> = { count: data.size(split), shape: data.shape, seed: data.orderSeed ?? 0, read: (i, out, offset) => data.read(split, i, out, offset) };
  return { length: source.count, areaThresholds: data.areaThresholds, batches: (batchSize, opts) => detectionBatches(source, batchSize, opts) };
}
