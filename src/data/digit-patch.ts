// A digit cut to its ink and rescaled, so the pasted box is exactly the digit's nonzero pixels.
import { resizeBilinear } from './resize.js';

export interface Patch {
  readonly width: number;
  readonly height: number;
  /** Row-major, values in [0, 1]. */
  readonly pixels: Float32Array;
}

/** Half-open bounds [x0, x1) x [y0, y1) of the pixels > 0, or null for a blank image. */
export function inkBounds(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = width;
  let y0 = height;
  let x1 = 0;
  let y1 = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (pixels[y * width + x]! > 0) {
        if (x < x0) x0 = x;
        if (x >= x1) x1 = x + 1;
        if (y < y0) y0 = y;
        y1 = y + 1;
      }
    }
  }
  return x1 > 0 ? { x0, y0, x1, y1 } : null;
}

function crop(pixels: ArrayLike<number>, width: number, b: NonNullable<ReturnType<typeof inkBounds>>, scale: number): Patch {
  const w = b.x1 - b.x0;
  const h = b.y1 - b.y0;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) out[y * w + x] = pixels[(y + b.y0) * width + b.x0 + x]! * scale;
  }
  return { width: w, height: h, pixels: out };
}

/**
 * Crop an 8-bit digit to its ink, scale it so its longer side is `side` px (aspect kept), then crop
 * again: bilinear weights can zero an edge row, so the box is recomputed on the scaled pixels.
 */
export function scaledDigit(digit: Uint8Array, width: number, height: number, side: number): Patch {
  const b = inkBounds(digit, width, height);
  if (!b) throw new Error('scaledDigit: blank digit');
  const src = crop(digit, width, b, 1 / 255);
  const s = side / Math.max(src.width, src.height);
  const dw = Math.max(1, Math.round(src.width * s));
  const dh = Math.max(1, Math.round(src.height * s));
  const scaled = resizeBilinear(src.pixels, src.width, src.height, dw, dh);
  const b2 = inkBounds(scaled, dw, dh);
  if (!b2) throw new Error('scaledDigit: digit vanished when scaled');
  return crop(scaled, dw, b2, 1);
}
