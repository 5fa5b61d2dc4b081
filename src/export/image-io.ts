import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataError } from '../core/errors.js';
import { readInputFile } from '../core/input-file.js';
import { resizeBilinear } from '../data/resize.js';
import type { Box } from '../metrics/index.js';

/** A decoded image: RGBA, 8 bits a channel, row-major. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

const MAX_BYTES = 64 * 1024 * 1024;
/** Decoded size cap (megapixels): a small file may claim a huge canvas. */
const MAX_MEGAPIXELS = 64;

const isPng = (b: Buffer) => b.length >= 8 && b.readUInt32BE(0) === 0x89504e47;
const isJpeg = (b: Buffer) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** Reads a PNG or JPEG file (told apart by their signatures, not the name); anything else is refused naming the file. */
export function readImage(path: string): RgbaImage {
  const buf = readInputFile(path, 'image', MAX_BYTES);
  try {
    if (isPng(buf)) {
      const png = PNG.sync.read(buf);
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    if (isJpeg(buf)) {
      const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 1024 });
      return { width: img.width, height: img.height, data: img.data };
    }
  } catch (e) {
    throw new DataError(`cannot decode image '${path}': ${(e as Error).message}`);
  }
  throw new DataError(`image '${path}' is not a PNG or JPEG file`);
}

/**
 * The network's input for an image: luma (ITU-R BT.601) in [0, 1], transparent pixels as black (the
 * glyphs are light on dark), resized bilinearly to width x height.
 */
export function toGrayInput(img: RgbaImage, width: number, height: number): Float32Array {
  const gray = new Float32Array(img.width * img.height);
  for (let i = 0; i < gray.length; i++) {
    const d = img.data;
    const a = d[4 * i + 3]! / 255;
    gray[i] = (a * (0.299 * d[4 * i]! + 0.587 * d[4 * i + 1]! + 0.114 * d[4 * i + 2]!)) / 255;
  }
  return img.width === width && img.height === height ? gray : resizeBilinear(gray, img.width, img.height, width, height);
}

/** Distinct colours for the classes (Tableau 10). */
const PALETTE = [0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f, 0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac];

/** The image as a PNG with each box outlined (2 px, a colour per class). */
export function drawBoxes(img: RgbaImage, boxes: readonly { readonly box: Box; readonly label: number }[]): Buffer {
  const png = new PNG({ width: img.width, height: img.height });
  png.data.set(img.data);
  const set = (x: number, y: number, rgb: number) => {
    if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
    const o = 4 * (y * img.width + x);
    png.data[o] = rgb >> 16;
    png.data[o + 1] = (rgb >> 8) & 0xff;
    png.data[o + 2] = rgb & 0xff;
    png.data[o + 3] = 255;
  };
  for (const { box, label } of boxes) {
    const rgb = PALETTE[label % PALETTE.length]!;
    const [l, t, r, b] = box.map(Math.round) as [number, number, number, number];
    for (let k = 0; k < 2; k++) {
      for (let x = l - k; x <= r + k; x++) [t - k, b + k].forEach((y) => set(x, y, rgb));
      for (let y = t - k; y <= b + k; y++) [l - k, r + k].forEach((x) => set(x, y, rgb));
    }
  }
  return PNG.sync.write(png);
}
