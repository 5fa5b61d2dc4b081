// Threshold grids and size buckets, built the way numpy.linspace builds pycocotools' grids so that
// values such as 0.6 or 0.5 compare exactly as they do there.
import type { AreaThresholds } from './types.js';

function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  const out = Array.from({ length: num }, (_, i) => start + i * step);
  out[num - 1] = stop;
  return out;
}

/** 0.50, 0.55, ..., 0.95. */
export const COCO_IOU_THRESHOLDS: readonly number[] = Object.freeze(linspace(0.5, 0.95, 10));

/** 0.00, 0.01, ..., 1.00: the 101 recall points of COCO's interpolated precision. */
export const RECALL_THRESHOLDS: readonly number[] = Object.freeze(linspace(0, 1, 101));

/** COCO's buckets for ~640 px images: small <= 32^2 < medium <= 96^2 < large. */
export const COCO_AREA_THRESHOLDS: AreaThresholds = Object.freeze({ small: 32 ** 2, medium: 96 ** 2 });

export type SizeBucket = 'small' | 'medium' | 'large';
export const SIZE_BUCKETS: readonly SizeBucket[] = ['small', 'medium', 'large'];

/** Inclusive [lo, hi] area range of a bucket, or of all sizes. */
export function areaRange(bucket: SizeBucket | 'all', t: AreaThresholds): readonly [number, number] {
  switch (bucket) {
    case 'all': return [0, Infinity];
    case 'small': return [0, t.small];
    case 'medium': return [t.small, t.medium];
    case 'large': return [t.medium, Infinity];
  }
}

/**
 * The one bucket an object belongs to for counting (half-open: small < t.small <= medium < t.medium
 * <= large). The evaluation ranges themselves are inclusive at both ends, as in pycocotools.
 */
export function sizeBucket(area: number, t: AreaThresholds): SizeBucket {
  if (area < t.small) return 'small';
  return area < t.medium ? 'medium' : 'large';
}

export function assertValidAreaThresholds(t: AreaThresholds): void {
  if (!(t.small > 0 && t.medium > t.small && Number.isFinite(t.medium))) {
    throw new RangeError(`areaThresholds: need 0 < small < medium < Infinity, got ${t.small}, ${t.medium}`);
  }
}
