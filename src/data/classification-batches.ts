import type { ClassificationData, DataSplit } from '../core/dataset.js';
import { hashSeed, Prng } from './prng.js';

export interface ClassificationBatch {
  /** NHWC, values in [0, 1]. */
  readonly images: Float32Array;
  readonly shape: readonly [number, number, number, number];
  readonly labels: Int32Array;
}

export interface ClassificationBatchOptions {
  /** Use the first `count` examples of the split (default all). */
  readonly count?: number;
  /** Shuffle with this seed (an epoch's order: the same seed, the same order on every machine). */
  readonly shuffleSeed?: number;
  readonly dropLast?: boolean;
  /** Start at this batch of the order (a run continued mid-epoch). */
  readonly fromBatch?: number;
}

/** Deterministic batches of one split of a dataset. */
export function* classificationBatches(data: ClassificationData, split: DataSplit, batchSize: number, o: ClassificationBatchOptions = {}): Generator<ClassificationBatch> {
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new RangeError('batchSize must be a positive integer');
  const count = Math.min(o.count ?? Infinity, data.size(split));
  const order = Array.from({ length: count }, (_, i) => i);
  if (o.shuffleSeed !== undefined) new Prng(hashSeed(o.shuffleSeed, 5)).shuffle(order);
  const [h, w, c] = data.shape;
  const pixels = h * w * c;
  for (let start = (o.fromBatch ?? 0) * batchSize; start < count; start += batchSize) {
    const indices = order.slice(start, start + batchSize);
    if (o.dropLast && indices.length < batchSize) break;
    const images = new Float32Array(indices.length * pixels);
    const labels = Int32Array.from(indices, (idx, k) => data.read(split, idx, images, k * pixels));
    yield { images, shape: [indices.length, h, w, c], labels };
  }
}
