import type { Box } from '../../metrics/index.js';

/** Anchor layout: per location of level l (stride 2^l), one anchor per (scale, aspect) of side `sizeFactor * 2^l * scale`. */
export interface AnchorConfig {
  readonly sizeFactor: number;
  readonly scales: readonly number[];
  /** Width / height. */
  readonly aspects: readonly number[];
}

/**
 * Our digits span 12..64 px on 128 px canvases: anchors of 2x the stride put them on P3..P5
 * (RetinaNet's 4x suits COCO's larger objects). Digits are taller than wide, hence aspect 0.6.
 */
export const DEFAULT_ANCHORS: AnchorConfig = { sizeFactor: 2, scales: [1, Math.SQRT2], aspects: [1, 0.6] };

export const anchorsPerLocation = (a: AnchorConfig): number => a.scales.length * a.aspects.length;

/** All anchors as [cx, cy, w, h], level by level, row-major, anchors of one location consecutive (the head's output order). */
export function generateAnchors(imageSize: number, minLevel: number, maxLevel: number, a: AnchorConfig): Float32Array {
  const out: number[] = [];
  for (let level = minLevel; level <= maxLevel; level++) {
    const stride = 2 ** level;
    const n = Math.ceil(imageSize / stride);
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        for (const s of a.scales) {
          for (const r of a.aspects) {
            const side = a.sizeFactor * stride * s;
            out.push((x + 0.5) * stride, (y + 0.5) * stride, side * Math.sqrt(r), side / Math.sqrt(r));
          }
        }
      }
    }
  }
  return Float32Array.from(out);
}

/** Box-delta weights; 1 as in Detectron's RetinaNet, whose smooth-L1 beta (0.11) is tuned for them. */
const W = [1, 1, 1, 1] as const;

/** Regression target of a ground-truth box relative to anchor i: (dx, dy, dw, dh). */
export function encodeBox(anchors: Float32Array, i: number, b: Box, out: Float32Array, o: number): void {
  const [acx, acy, aw, ah] = [anchors[4 * i]!, anchors[4 * i + 1]!, anchors[4 * i + 2]!, anchors[4 * i + 3]!];
  const gw = b[2] - b[0];
  const gh = b[3] - b[1];
  out[o] = (W[0] * (b[0] + gw / 2 - acx)) / aw;
  out[o + 1] = (W[1] * (b[1] + gh / 2 - acy)) / ah;
  out[o + 2] = W[2] * Math.log(gw / aw);
  out[o + 3] = W[3] * Math.log(gh / ah);
}

/** Inverse of encodeBox, clamped to the image (an untrained network's deltas can be anything). */
export function decodeBox(anchors: Float32Array, i: number, d: ArrayLike<number>, o: number, imageSize: number): Box {
  const [acx, acy, aw, ah] = [anchors[4 * i]!, anchors[4 * i + 1]!, anchors[4 * i + 2]!, anchors[4 * i + 3]!];
  const maxLog = Math.log(1000 / 16);
  const cx = acx + ((d[o] as number) / W[0]) * aw;
  const cy = acy + ((d[o + 1] as number) / W[1]) * ah;
  const w = aw * Math.exp(Math.min((d[o + 2] as number) / W[2], maxLog));
  const h = ah * Math.exp(Math.min((d[o + 3] as number) / W[3], maxLog));
  const clamp = (v: number) => (Number.isFinite(v) ? Math.min(Math.max(v, 0), imageSize) : 0);
  return [clamp(cx - w / 2), clamp(cy - h / 2), clamp(cx + w / 2), clamp(cy + h / 2)];
}

/**
 * Anchors as corners and area, [x0, y0, x1, y1, w*h] per anchor, in doubles: the IoU below then reads
 * five numbers and allocates nothing (it runs anchors x boxes times a step; destructuring each
 * anchor cost 2-3 ms of a detector step). The same double arithmetic as on [cx, cy, w, h] directly.
 */
function anchorCorners(anchors: Float32Array): Float64Array {
  const out = new Float64Array((anchors.length / 4) * 5);
  for (let i = 0, o = 0; i < anchors.length; i += 4, o += 5) {
    const [cx, cy, w, h] = [anchors[i]!, anchors[i + 1]!, anchors[i + 2]!, anchors[i + 3]!];
    out[o] = cx - w / 2;
    out[o + 1] = cy - h / 2;
    out[o + 2] = cx + w / 2;
    out[o + 3] = cy + h / 2;
    out[o + 4] = w * h;
  }
  return out;
}

/** IoU of the anchor at a[i..i+5) with the box at b[j..j+5), both laid out as anchorCorners'. */
function iou(a: Float64Array, i: number, b: Float64Array, j: number): number {
  const ix = Math.max(0, Math.min(a[i + 2]!, b[j + 2]!) - Math.max(a[i]!, b[j]!));
  const iy = Math.max(0, Math.min(a[i + 3]!, b[j + 3]!) - Math.max(a[i + 1]!, b[j + 1]!));
  const inter = ix * iy;
  return inter / (a[i + 4]! + b[j + 4]! - inter);
}

/** Boxes [x0, y0, x1, y1] as iou() reads them, the area (x1 - x0) * (y1 - y0) fifth. */
function boxCorners(gts: readonly { box: Box }[]): Float64Array {
  const out = new Float64Array(gts.length * 5);
  gts.forEach(({ box: b }, g) => out.set([b[0], b[1], b[2], b[3], (b[2] - b[0]) * (b[3] - b[1])], 5 * g));
  return out;
}

/** Per-anchor training targets of one batch. */
export interface AnchorTargets {
  /** [n * A]: class index of a positive anchor, -1 background, -2 ignored. */
  readonly labels: Int32Array;
  /** [n * A * 4]: regression targets (zero for non-positives). */
  readonly boxes: Float32Array;
  readonly positives: number;
}

/**
 * RetinaNet assignment: IoU >= 0.5 positive, < 0.4 background, in between ignored; and each
 * ground-truth box also claims its best anchor, so small objects between anchor sizes still train.
 */
export function assignTargets(anchors: Float32Array, objects: readonly (readonly { box: Box; label: number }[])[], pos = 0.5, neg = 0.4): AnchorTargets {
  const A = anchors.length / 4;
  const n = objects.length;
  const labels = new Int32Array(n * A).fill(-1);
  const boxes = new Float32Array(n * A * 4);
  let positives = 0;
  const corners = anchorCorners(anchors);
  for (let img = 0; img < n; img++) {
    const gts = objects[img] as readonly { box: Box; label: number }[];
    if (gts.length === 0) continue;
    const bestGt = new Int32Array(A).fill(-1);
    const bestIou = new Float32Array(A);
    const gtBestAnchor = new Int32Array(gts.length).fill(-1);
    const gtBestIou = new Float32Array(gts.length).fill(-1);
    const gtCorners = boxCorners(gts);
    for (let i = 0; i < A; i++) {
      for (let g = 0; g < gts.length; g++) {
        const v = iou(corners, 5 * i, gtCorners, 5 * g);
        if (v > bestIou[i]!) {
          bestIou[i] = v;
          bestGt[i] = g;
        }
        if (v > gtBestIou[g]!) {
          gtBestIou[g] = v;
          gtBestAnchor[g] = i;
        }
      }
    }
    for (let g = 0; g < gts.length; g++) {
      const i = gtBestAnchor[g]!;
      if (i >= 0 && gtBestIou[g]! > 0) {
        bestGt[i] = g;
        bestIou[i] = Math.max(bestIou[i]!, pos);
      }
    }
    for (let i = 0; i < A; i++) {
      const k = img * A + i;
      if (bestIou[i]! >= pos) {
        const gt = gts[bestGt[i]!] as { box: Box; label: number };
        labels[k] = gt.label;
        encodeBox(anchors, i, gt.box, boxes, 4 * k);
        positives++;
      } else if (bestIou[i]! >= neg) {
        labels[k] = -2;
      }
    }
  }
  return { labels, boxes, positives };
}
