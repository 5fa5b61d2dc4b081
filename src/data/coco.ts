import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_SPLITS, type DataSplit, type DatasetFactory, type DetectionData, type LabelledBox } from '../core/dataset.js';
import { ConfigError, DataError } from '../core/errors.js';
import { readInputFile } from '../core/input-file.js';
import { resolveOptions, type OptionSpecs, type OptionValues } from '../core/options.js';
import { CANVAS_FITS, grayOnCanvas, placeBox, placement, type CanvasFit, type Placement } from './canvas-fit.js';
import { readImage } from './image-decode.js';

const split = (name: string) => ({ type: 'string', default: name, help: `the ${name} split's name: annotations/instances_NAME.json and the image folder NAME/ (COCO 2017: ${name === 'train' ? 'train2017' : name === 'val' ? 'val2017' : 'a split of your own'})` }) as const;

const OPTIONS = {
  path: { type: 'optional-string', help: 'the folder: annotations/instances_<split>.json and <split>/ image folders for train, val and test (COCO\'s layout)' },
  size: { type: 'integer', default: 128, min: 16, max: 2048, help: "side of the square gray canvas images are resized to, boxes with them (the detector's input: a multiple of 2^maxLevel, 128 for the default pyramid)" },
  fit: { type: 'string', default: 'stretch', choices: CANVAS_FITS, help: 'stretch: fill the canvas (as tsnas predict feeds an exported detector); letterbox: keep the aspect ratio, centred on black' },
  train: split('train'),
  val: split('val'),
  test: split('test'),
} as const satisfies OptionSpecs;

type Options = OptionValues<typeof OPTIONS>;

const MAX_JSON = 512 * 1024 * 1024;

interface CocoImage {
  id: number;
  file: string;
  /** Where the image is listed, for messages: `instances_val.json: images[3]`. */
  where: string;
  width: number;
  height: number;
  place: Placement;
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
function readSplit(root: string, name: string, size: number, fit: CanvasFit, categories: Map<number, number> | undefined): { data: SplitData; names: { id: number; name: string }[] } {
  const file = join(root, 'annotations', `instances_${name}.json`);
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
    const where = `images[${k}]`;
    if (typeof im.file_name !== 'string') throw new DataError(`${file}: ${where} has no file_name`);
    const [width, height] = [num(file, where, im, 'width'), num(file, where, im, 'height')];
    if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) throw new DataError(`${file}: ${where} is ${width}x${height}; width and height must be positive integers`);
    return { id: num(file, where, im, 'id'), file: join(root, name, im.file_name), where: `${file}: ${where}`, width, height, place: placement(width, height, size, fit) };
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
    boxes.get(im.id)!.push({ box: placeBox(im.place, [x, y, w, h]), label });
  });
  return { data: { images, boxes }, names };
}

/** The image's network input, checked against the size its annotations give (the boxes are in those pixels). */
function canvasOf(im: CocoImage, side: number): Float32Array {
  const img = readImage(im.file);
  if (img.width !== im.width || img.height !== im.height) throw new DataError(`${im.where} says ${im.width}x${im.height}, but image '${im.file}' is ${img.width}x${img.height}`);
  return grayOnCanvas(img, side, im.place);
}

/**
 * A COCO-format detection set (instances JSON + image folders), the format detection users have. Every
 * file is checked when the dataset is made, images decoded and placed on a gray square canvas once,
 * so a bad file stops a run before it starts, naming the file.
 */
class CocoData implements DetectionData {
  readonly kind = 'detection';
  readonly shape: readonly [number, number, number];
  readonly classNames: readonly string[];
  readonly areaThresholds: { small: number; medium: number };
  private readonly splits = new Map<DataSplit, SplitData>();

  constructor(root: string, o: Options) {
    const side = o.size;
    const fit = o.fit as CanvasFit;
    this.shape = [side, side, 1];
    const train = readSplit(root, o.train, side, fit, undefined);
    const sorted = [...train.names].sort((a, b) => a.id - b.id);
    this.classNames = sorted.map((c) => c.name);
    const labels = new Map(sorted.map((c, k) => [c.id, k]));
    for (const split of DATA_SPLITS) {
      const { data } = split === 'train' ? train : readSplit(root, o[split], side, fit, labels);
      data.pixels = data.images.map((im) => canvasOf(im, side));
      this.splits.set(split, data);
    }
    // COCO's sizes are areas in the image as it was (< 32², < 96² px), here on the canvas: scaled by the
    // median image's placement (exact when every image has one size, as a camera's do).
    const scales = train.data.images.map((im) => im.place.sx * im.place.sy).sort((a, b) => a - b);
    const scale = scales[Math.floor(scales.length / 2)] ?? 1;
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
  description: 'a COCO-format detection set: DIR/annotations/instances_{train,val,test}.json and DIR/{train,val,test}/ PNG or JPEG images, resized (or letterboxed) to a gray canvas; --evaluator-opt path=DIR',
  kind: 'detection',
  options: OPTIONS,
  create(options) {
    const o = resolveOptions('dataset', OPTIONS, options);
    if (o.path === undefined) throw new ConfigError('dataset.path', 'coco needs its folder: --evaluator-opt path=DIR');
    const names = DATA_SPLITS.map((s) => o[s]);
    const twice = names.find((n, k) => names.indexOf(n) !== k);
    if (twice !== undefined) throw new ConfigError('dataset.test', `the splits train=${o.train}, val=${o.val}, test=${o.test} must be three different ones ('${twice}' twice): the reward and the reported AP would share images`);
    if (!existsSync(o.path) || !statSync(o.path).isDirectory()) throw new DataError(`COCO folder '${o.path}' does not exist or is not a folder`);
    return new CocoData(o.path, o);
  },
};
