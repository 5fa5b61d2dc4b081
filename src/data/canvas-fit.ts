// Where an image lands on a square canvas: stretched over it, or letterboxed (aspect kept, centred on
// black). Boxes go through the same placement as the pixels, so they stay on their objects.
import type { RgbaImage } from './image-decode.js';
import { toGrayInput } from './image-decode.js';

export const CANVAS_FITS = ['letterbox', 'stretch'] as const;
export type CanvasFit = (typeof CANVAS_FITS)[number];

/** An image of width x height drawn at [dx, dx + w) x [dy, dy + h) of the canvas. */
export interface Placement {
  readonly dx: number;
  readonly dy: number;
  readonly w: number;
  readonly h: number;
  readonly sx: number;
  readonly sy: number;
}

export function placement(width: number, height: number, side: number, fit: CanvasFit): Placement {
  if (fit === 'stretch') return { dx: 0, dy: 0, w: side, h: side, sx: side / width, sy: side / height };
  const s = side / Math.max(width, height);
  const w = Math.max(1, Math.min(side, Math.round(width * s)));
  const h = Math.max(1, Math.min(side, Math.round(height * s)));
  const dx = Math.floor((side - w) / 2);
  const dy = Math.floor((side - h) / 2);
  return { dx, dy, w, h, sx: w / width, sy: h / height };
}

/** A box [x, y, width, height] in image pixels as [x0, y0, x1, y1] on the canvas. */
export function placeBox(p: Placement, [x, y, w, h]: readonly [number, number, number, number]): [number, number, number, number] {
  return [p.dx + x * p.sx, p.dy + y * p.sy, Math.min(p.dx + p.w, p.dx + (x + w) * p.sx), Math.min(p.dy + p.h, p.dy + (y + h) * p.sy)];
}

/** The image as the network's gray input on a side x side canvas, placed by `p` (the rest black). */
export function grayOnCanvas(img: RgbaImage, side: number, p: Placement): Float32Array {
  const drawn = toGrayInput(img, p.w, p.h);
  if (p.w === side && p.h === side) return drawn;
  const canvas = new Float32Array(side * side);
  for (let y = 0; y < p.h; y++) canvas.set(drawn.subarray(y * p.w, (y + 1) * p.w), (p.dy + y) * side + p.dx);
  return canvas;
}
