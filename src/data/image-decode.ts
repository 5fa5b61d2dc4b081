// PNG and JPEG files decoded to RGBA and turned into network inputs: what predict reads and what a
// user's image-folder dataset is made of.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataError } from '../core/errors.js';
import { readInputFile } from '../core/input-file.js';
import { resizeBilinear } from './resize.js';

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

/** The image as RGB in [0, 1] (HWC; transparent pixels black), each channel resized bilinearly to width x height. */
export function toRgbInput(img: RgbaImage, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height * 3);
  for (let c = 0; c < 3; c++) {
    const plane = new Float32Array(img.width * img.height);
    for (let i = 0; i < plane.length; i++) plane[i] = (img.data[4 * i + c]! * img.data[4 * i + 3]!) / (255 * 255);
    const sized = img.width === width && img.height === height ? plane : resizeBilinear(plane, img.width, img.height, width, height);
    for (let i = 0; i < sized.length; i++) out[3 * i + c] = sized[i]!;
  }
  return out;
}
