// Box geometry with the conventions pycocotools uses for bounding boxes (area = w * h, no +1).
import type { Box } from './types.js';

export function boxArea(b: Box): number {
  return (b[2] - b[0]) * (b[3] - b[1]);
}

/** Intersection over union; 0 when the boxes do not overlap or the union is empty. */
export function boxIou(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  if (w <= 0) return 0;
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (h <= 0) return 0;
  const inter = w * h;
  const union = boxArea(a) + boxArea(b) - inter;
  return union > 0 ? inter / union : 0;
}

/** Throws on boxes that would make areas negative or IoU meaningless. */
export function assertValidBox(b: Box, what: string): void {
  if (b.length !== 4 || !b.every(Number.isFinite) || b[2] < b[0] || b[3] < b[1]) {
    throw new RangeError(`${what}: invalid box [${b.join(', ')}] (need finite x1 <= x2, y1 <= y2)`);
  }
}
