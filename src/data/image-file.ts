// Write a sample with its boxes drawn, for eyeballing: binary PGM, or PNG via node:zlib (no extra deps).
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import type { Box } from '../metrics/index.js';

export interface GrayImage {
  readonly width: number;
  readonly height: number;
  /** Row-major 8-bit gray. */
  readonly data: Uint8Array;
}

/** Canvas to 8 bits, magnified by `scale` (nearest), with each box outlined in mid-gray just outside its edge. */
export function renderWithBoxes(
  image: Float32Array,
  width: number,
  height: number,
  boxes: readonly Box[],
  scale = 1,
): GrayImage {
  const W = width * scale;
  const H = height * scale;
  const data = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const v = image[Math.floor(y / scale) * width + Math.floor(x / scale)]!;
      data[y * W + x] = Math.round(Math.min(1, Math.max(0, v)) * 255);
    }
  }
  // Outline on the ring of pixels just outside the box, so it never hides the ink it encloses.
  const set = (x: number, y: number): void => {
    if (x >= 0 && y >= 0 && x < W && y < H) data[y * W + x] = 128;
  };
  for (const [x1, y1, x2, y2] of boxes) {
    const l = x1 * scale - 1;
    const t = y1 * scale - 1;
    const r = x2 * scale;
    const b = y2 * scale;
    for (let x = l; x <= r; x++) {
      set(x, t);
      set(x, b);
    }
    for (let y = t; y <= b; y++) {
      set(l, y);
      set(r, y);
    }
  }
  return { width: W, height: H, data };
}

export function encodePgm(img: GrayImage): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${img.width} ${img.height}\n255\n`, 'ascii'), Buffer.from(img.data)]);
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Uint8Array): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), body]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([len, typed, crc]);
}

/** 8-bit grayscale PNG, filter 0 on every row. */
export function encodePng(img: GrayImage): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(img.width, 0);
  ihdr.writeUInt32BE(img.height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // bit depth 8, color type 0 (gray), deflate, no filter, no interlace
  const raw = Buffer.alloc((img.width + 1) * img.height);
  for (let y = 0; y < img.height; y++) raw.set(img.data.subarray(y * img.width, (y + 1) * img.width), y * (img.width + 1) + 1);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

/** Write a canvas with boxes to `path`; `.png` gives PNG, anything else binary PGM. */
export function writeSampleImage(
  path: string,
  sample: { readonly image: Float32Array; readonly width: number; readonly height: number; readonly objects: readonly { readonly box: Box }[] },
  scale = 1,
): void {
  const img = renderWithBoxes(sample.image, sample.width, sample.height, sample.objects.map((o) => o.box), scale);
  writeFileSync(path, path.toLowerCase().endsWith('.png') ? encodePng(img) : encodePgm(img));
}
