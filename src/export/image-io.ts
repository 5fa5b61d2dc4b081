import { PNG } from 'pngjs';
import type { RgbaImage } from '../data/image-decode.js';
import type { Box } from '../metrics/index.js';

export { readImage, toGrayInput, toRgbInput, type RgbaImage } from '../data/image-decode.js';

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
