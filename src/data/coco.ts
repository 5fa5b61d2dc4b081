import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_SPLITS, type DataSplit, type DatasetFactory, type DetectionData, type LabelledBox } from '../core/dataset.js';
import { ConfigError, DataError } from '../core/errors.js';
import { readInputFile } from '../core/input-file.js';
import { resolveOptions, type OptionSpecs } from '../core/options.js';
import { readImage, toGrayInput } from './image-decode.js';

const OPTIONS = {
  path: { type: 'optional-string', help: 'the folder: annotations/instances_<split>.json and <split>/ image folders for train, val and test (COCO\'s layout)' },
  size: { type: 'integer', default: 128, min: 16, max: 2048, help: 'side of the square gray canvas images are resized to (boxes scaled with them)' },
} as const satisfies OptionSpecs;

const MAX_JSON = 512 * 1024 * 1024;

interface CocoImage {
  id: number;
  file: string;
  width: number;
  height: number;
}

interface SplitData {
  images: CocoImage[];
  boxes: Map<number, LabelledBox[]>;
  pixels?: Float32Array[];
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function list(file: string, json: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const v = json[key];
  if (!Array.isArray(v) || !v.every(isObject)) throw new DataError(`${file}: '${key}' must be a list of objects`);
  return v;
}

function num(file: string, where: string, o: Record<string, unknown>, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DataError(`${file}: ${where} has no numeric '${key}'`);
  return v;
}

/** Reads one split's instances file: its images, and each image's boxes in canvas pixels. */
function readSplit(root: string, split: DataSplit, size: number, categories: Map<number, number> | undefined): { data: SplitData; names: { id: number; name: string }[] } {
  const file = join(root, 'annotations', `instances_${split}.json`);
  if (!existsSync(file)) throw new DataError(`COCO annotations '${file}' are missing`);
  let json: unknown;
  try {
    json = JSON.parse(readInputFile(file, 'COCO annotations', MAX_JSON).toString('utf8'));
  } catch (e) {
    throw new DataError(`COCO annotations '${file}' are not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(json)) throw new DataError(`${file}: expected an object with images, annotations and categories`);
  const names = list(file, json, 'categories').map((c, k) => {
    if (typeof c.name !== 'string') throw new DataError(`${file}: categories[${k}] has no name`);
    return { id: num(file, `categories[${k}]`, c, 'id'), name: c.name };
  });
  const labels = categories ?? new Map([...names].sort((a, b) => a.id - b.id).map((c, k) => [c.id, k]));
  const images = list(file, json, 'images').map((im, k): CocoImage => {
    if (typeof im.file_name !== 'string') throw new DataError(`${file}: images[${k}] has no file_name`);
    return { id: num(file, `images[${k}]`, im, 'id'), file: join(root, split, im.file_name), width: num(file, `images[${k}]`, im, 'width'), height: num(file, `images[${k}]`, im, 'height') };
  });
  const byId = new Map(images.map((im) => [im.id, im]));
  const boxes = new Map<number, LabelledBox[]>(images.map((im) => [im.id, []]));
  list(file, json, 'annotations').forEach((a, k) => {
    const where = `annotations[${k}]${typeof a.id === 'number' ? ` (id ${a.id})` : ''}`;
    if (a.iscrowd === 1) return; // crowd regions are neither objects to find nor mistakes (COCO's rule)
    const im = byId.get(num(file, where, a, 'image_id'));
    if (!im) throw new DataError(`${file}: ${where} refers to image ${String(a.image_id)}, which is not listed`);
    const label = labels.get(num(file, where, a, 'category_id'));
    if (label === undefined) throw new DataError(`${file}: ${where} has category ${String(a.category_id)}, which is not listed`);
    const b = a.bbox;
    if (!Array.isArray(b) || b.length !== 4 || !b.every((v) => typeof v === 'number' && Number.isFinite(v))) throw new DataError(`${file}: ${where} needs bbox [x, y, width, height]`);
    const [x, y, w, h] = b as [number, number, number, number];
    if (!(w > 0 && h > 0 && x >= 0 && y >= 0 && x + w <= im.width + 0.5 && y + h <= im.height + 0.5)) {
      throw new DataError(`${file}: ${where}: box [${b.join(', ')}] is not inside its ${im.width}x${im.height} image '${im.file}'`);
    }
    const sx = size / im.width;
    const sy = size / im.height;
    boxes.get(im.id)!.push({ box: [x * sx, y * sy, Math.min(size, (x + w) * sx), Math.min(size, (y + h) * sy)], label });
  });
  return { data: { images, boxes }, names };
}

/**
 * A COCO-format detection set (instances JSON + image folders), the format detection users have. Every
 * file is checked when the dataset is made, images decoded and resized to a gray square canvas once,
 * so a bad file stops a run before it starts, naming the file.
 */
class CocoData implements DetectionData {
  readonly kind = 'detection';
  readonly shape: readonly [number, number, number];
  readonly classNames: readonly string[];
  /** COCO's 32² and 96² at 640-pixel images, scaled to the canvas. */
  readonly areaThresholds: { small: number; medium: number };
  private readonly splits = new Map<DataSplit, SplitData>();

  constructor(root: string, side: number) {
    this.shape = [side, side, 1];
    const train = readSplit(root, 'train', side, undefined);
    const sorted = [...train.names].sort((a, b) => a.id - b.id);
    this.classNames = sorted.map((c) => c.name);
    const labels = new Map(sorted.map((c, k) => [c.id, k]));
    for (const split of DATA_SPLITS) {
      const { data } = split === 'train' ? train : readSplit(root, split, side, labels);
      data.pixels = data.images.map((im) => toGrayInput(readImage(im.file), side, side));
      this.splits.set(split, data);
    }
    const scale = (side / 640) ** 2;
    this.areaThresholds = { small: 32 * 32 * scale, medium: 96 * 96 * scale };
  }

  size(split: DataSplit): number {
    return this.splits.get(split)!.images.length;
  }

  read(split: DataSplit, index: number, out: Float32Array, offset: number): readonly LabelledBox[] {
    const s = this.splits.get(split)!;
    if (!(Number.isInteger(index) && index >= 0 && index < s.images.length)) throw new RangeError(`${split} index ${index} out of [0, ${s.images.length})`);
    out.set(s.pixels![index]!, offset);
    return s.boxes.get(s.images[index]!.id)!;
  }
}

export const cocoDatasetFactory: DatasetFactory = {
  name: 'coco',
  description: 'a COCO-format detection set: DIR/annotations/instances_{train,val,test}.json and DIR/{train,val,test}/ images; --evaluator-opt data.path=DIR',
  kind: 'detection',
  options: OPTIONS,
  create(options) {
    const o = resolveOptions('dataset', OPTIONS, options);
    if (o.path === undefined) throw new ConfigError('dataset.path', 'coco needs its folder: --evaluator-opt data.path=DIR');
    if (!existsSync(o.path) || !statSync(o.path).isDirectory()) throw new DataError(`COCO folder '${o.path}' does not exist or is not a folder`);
    return new CocoData(o.path, o.size);
  },
};
