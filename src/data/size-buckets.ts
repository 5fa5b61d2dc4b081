// How many objects fall in each size bucket: a check that the data exercises every pyramid level.
import { boxArea, sizeBucket, type AreaThresholds, type GroundTruth, type SizeBucket } from '../metrics/index.js';

export type SizeBucketCounts = Record<SizeBucket, number> & { readonly total: number };

export function sizeBucketCounts(
  objects: Iterable<GroundTruth>,
  thresholds: AreaThresholds,
): SizeBucketCounts {
  const counts = { small: 0, medium: 0, large: 0, total: 0 };
  for (const o of objects) {
    counts[sizeBucket(boxArea(o.box), thresholds)]++;
    counts.total++;
  }
  return counts;
}
