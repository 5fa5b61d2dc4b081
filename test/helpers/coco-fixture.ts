import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';

/** One image of a fixture: its size and its boxes ([x, y, width, height] in its pixels) with their category ids. */
export interface FixtureImage {
  readonly width: number;
  readonly height: number;
  readonly boxes: readonly { readonly bbox: readonly [number, number, number, number]; readonly category: number }[];
}

export interface CocoJson {
  images: Record<string, unknown>[];
  annotations: Record<string, unknown>[];
  categories: unknown[];
}

/** Lets a test break a split's annotations before they are written. */
export type CocoEdit = (split: string, json: CocoJson) => void;

/** A black PNG with each box filled white. */
export function boxesPng(im: FixtureImage): Buffer {
  const img = new PNG({ width: im.width, height: im.height });
  for (let p = 0; p < im.width * im.height; p++) img.data.set([0, 0, 0, 255], 4 * p);
  for (const { bbox: [x, y, w, h] } of im.boxes) {
    for (let py = y; py < y + h; py++) for (let px = x; px < x + w; px++) img.data.set([255, 255, 255, 255], 4 * (py * im.width + px));
  }
  return PNG.sync.write(img);
}

/**
 * Writes a COCO-format folder under `dir`: annotations/instances_<split>.json and <split>/<k>.png for
 * each split of `splits`, the images drawn with pngjs; `edit` may break a split's JSON first.
 */
export function writeCocoSet(dir: string, splits: Readonly<Record<string, readonly FixtureImage[]>>, categories: readonly { id: number; name: string }[], edit: CocoEdit = () => {}): string {
  mkdirSync(join(dir, 'annotations'), { recursive: true });
  let annotationId = 1;
  for (const [split, images] of Object.entries(splits)) {
    mkdirSync(join(dir, split), { recursive: true });
    images.forEach((im, k) => writeFileSync(join(dir, split, `${k}.png`), boxesPng(im)));
    const json: CocoJson = {
      images: images.map((im, k) => ({ id: k + 1, file_name: `${k}.png`, width: im.width, height: im.height })),
      annotations: images.flatMap((im, k) => im.boxes.map((b) => ({ id: annotationId++, image_id: k + 1, category_id: b.category, bbox: [...b.bbox], area: b.bbox[2] * b.bbox[3], iscrowd: 0 }))),
      categories: categories.map((c) => ({ ...c })),
    };
    edit(split, json);
    writeFileSync(join(dir, 'annotations', `instances_${split}.json`), JSON.stringify(json));
  }
  return dir;
}

/**
 * `count` 64x48 images (landscape, so letterboxing shows) with one or two boxes of categories 1
 * (a square) and 2 (a bar: the classes differ by shape), placed by the index alone so a fixture is
 * the same on every run.
 */
export function rectangleImages(count: number, offset = 0): FixtureImage[] {
  return Array.from({ length: count }, (_, i) => {
    const k = i + offset;
    const square = { bbox: [4 + ((k * 7) % 20), 4 + ((k * 5) % 12), 16, 16] as const, category: 1 };
    const bar = { bbox: [36 + ((k * 3) % 8), 8 + ((k * 11) % 20), 20, 8] as const, category: 2 };
    return { width: 64, height: 48, boxes: k % 3 === 0 ? [square] : [square, bar] };
  });
}
