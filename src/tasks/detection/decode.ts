import type { Box, Detection } from '../../metrics/index.js';
import { boxIou } from '../../metrics/index.js';
import { decodeBox } from './anchors.js';

export interface DecodeOptions {
  readonly scoreThreshold: number;
  /** Candidates kept per image before NMS (highest scores). */
  readonly preNms: number;
  readonly nmsIou: number;
  readonly maxDetections: number;
}

export const DEFAULT_DECODE: DecodeOptions = { scoreThreshold: 0.05, preNms: 1000, nmsIou: 0.5, maxDetections: 100 };

/**
 * Detections of one image from its sigmoid scores [anchors * K] and deltas [anchors * 4]: threshold,
 * keep the top candidates, decode boxes, then greedy per-class NMS.
 */
export function decodeDetections(scores: Float32Array, deltas: Float32Array, anchors: Float32Array, classes: number, imageSize: number, o: DecodeOptions = DEFAULT_DECODE): Detection[] {
  const cand: number[] = [];
  for (let k = 0; k < scores.length; k++) if ((scores[k] as number) >= o.scoreThreshold) cand.push(k);
  cand.sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const kept: Detection[] = [];
  const byClass = new Map<number, Box[]>();
  for (const k of cand.slice(0, o.preNms)) {
    const anchor = Math.floor(k / classes);
    const label = k % classes;
    const box = decodeBox(anchors, anchor, deltas, 4 * anchor, imageSize);
    if (box[2] - box[0] < 1 || box[3] - box[1] < 1) continue;
    const same = byClass.get(label) ?? [];
    if (same.some((b) => boxIou(b, box) > o.nmsIou)) continue;
    same.push(box);
    byClass.set(label, same);
    kept.push({ box, label, score: scores[k] as number });
    if (kept.length >= o.maxDetections) break;
  }
  return kept;
}
