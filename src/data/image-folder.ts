import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_SPLITS, type ClassificationData, type DataSplit, type DatasetFactory } from '../core/dataset.js';
import { ConfigError, DataError } from '../core/errors.js';
import { resolveOptions, type OptionSpecs } from '../core/options.js';
import { readImage, toGrayInput, toRgbInput } from './image-decode.js';

const IMAGE_FILE = /\.(png|jpe?g)$/i;

const OPTIONS = {
  path: { type: 'optional-string', help: 'the folder: one sub-folder per class (split by valFraction/testFraction), or train/, val/ and test/ each with one sub-folder per class' },
  size: { type: 'integer', default: 0, min: 0, max: 1024, help: 'side images are resized to (0: the first image\'s width and height)' },
  color: { type: 'string', default: 'rgb', choices: ['rgb', 'gray'], help: 'channels of the network input' },
  valFraction: { type: 'number', default: 0.2, min: 0, max: 0.9, help: 'one-folder layout: share of each class held out for validation' },
  testFraction: { type: 'number', default: 0.2, min: 0, max: 0.9, help: 'one-folder layout: share of each class held out for test' },
} as const satisfies OptionSpecs;

const subfolders = (dir: string) => readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory()).sort();

/** Class name -> image files (sorted), for a folder of class folders. */
function classFiles(dir: string): Map<string, string[]> {
  const classes = subfolders(dir);
  if (classes.length < 2) throw new DataError(`image folder '${dir}' needs at least 2 class sub-folders, found ${classes.length}`);
  return new Map(
    classes.map((c) => {
      const files = readdirSync(join(dir, c)).filter((f) => IMAGE_FILE.test(f)).sort().map((f) => join(dir, c, f));
      if (files.length === 0) throw new DataError(`class folder '${join(dir, c)}' has no .png or .jpg images`);
      return [c, files];
    }),
  );
}

/**
 * Which file of which class goes to which split. With train/, val/ and test/ sub-folders they say so
 * (their class folders must agree); otherwise each class's sorted files are dealt out: every k-th to
 * validation and test by the fractions, so the split is the same on every machine.
 */
function splitFiles(root: string, valFraction: number, testFraction: number): { classNames: string[]; files: Record<DataSplit, { file: string; label: number }[]> } {
  const presplit = DATA_SPLITS.every((s) => existsSync(join(root, s)));
  const files: Record<DataSplit, { file: string; label: number }[]> = { train: [], val: [], test: [] };
  if (presplit) {
    const per = DATA_SPLITS.map((s) => classFiles(join(root, s)));
    const classNames = [...per[0]!.keys()];
    DATA_SPLITS.forEach((s, k) => {
      const names = [...per[k]!.keys()];
      if (names.join('/') !== classNames.join('/')) throw new DataError(`image folder '${join(root, s)}' has classes ${names.join(', ')}; train/ has ${classNames.join(', ')}`);
      names.forEach((c, label) => files[s].push(...per[k]!.get(c)!.map((file) => ({ file, label }))));
    });
    return { classNames, files };
  }
  if (valFraction + testFraction >= 1) throw new ConfigError('dataset.valFraction', `valFraction + testFraction must be < 1, got ${valFraction + testFraction}`);
  const byClass = classFiles(root);
  [...byClass.values()].forEach((list, label) => {
    list.forEach((file, i) => {
      // File i's point of the golden-ratio sequence (evenly spread over [0, 1) for any count) picks its split.
      const u = ((i * 0.618034) % 1 + 1) % 1;
      const split: DataSplit = u < valFraction ? 'val' : u < valFraction + testFraction ? 'test' : 'train';
      files[split].push({ file, label });
    });
  });
  return { classNames: [...byClass.keys()], files };
}

/** A user's images, decoded once into memory (this is for small sets of one's own). */
class ImageFolderData implements ClassificationData {
  readonly kind = 'classification';
  readonly shape: readonly [number, number, number];
  readonly classNames: readonly string[];
  private readonly pixels: Record<DataSplit, Float32Array>;
  private readonly labels: Record<DataSplit, Int32Array>;

  constructor(root: string, o: { size: number; color: string; valFraction: number; testFraction: number }) {
    const { classNames, files } = splitFiles(root, o.valFraction, o.testFraction);
    this.classNames = classNames;
    const first = readImage(files.train[0]?.file ?? files.val[0]?.file ?? files.test[0]!.file);
    const [w, h] = o.size > 0 ? [o.size, o.size] : [first.width, first.height];
    const channels = o.color === 'gray' ? 1 : 3;
    this.shape = [h, w, channels];
    const n = h * w * channels;
    const decode = (file: string) => (channels === 1 ? toGrayInput(readImage(file), w, h) : toRgbInput(readImage(file), w, h));
    this.pixels = { train: new Float32Array(0), val: new Float32Array(0), test: new Float32Array(0) };
    this.labels = { train: new Int32Array(0), val: new Int32Array(0), test: new Int32Array(0) };
    for (const s of DATA_SPLITS) {
      const list = files[s];
      const px = new Float32Array(list.length * n);
      list.forEach((f, i) => px.set(decode(f.file), i * n));
      this.pixels[s] = px;
      this.labels[s] = Int32Array.from(list, (f) => f.label);
    }
    if (this.labels.train.length === 0) throw new DataError(`image folder '${root}' gives no training images`);
  }

  size(split: DataSplit): number {
    return this.labels[split].length;
  }

  read(split: DataSplit, index: number, out: Float32Array, offset: number): number {
    if (!(Number.isInteger(index) && index >= 0 && index < this.size(split))) throw new RangeError(`${split} index ${index} out of [0, ${this.size(split)})`);
    const n = this.shape[0] * this.shape[1] * this.shape[2];
    out.set(this.pixels[split].subarray(index * n, (index + 1) * n), offset);
    return this.labels[split][index]!;
  }
}

export const imageFolderDatasetFactory: DatasetFactory = {
  name: 'image-folder',
  description: 'your own images: a folder with one sub-folder of PNG/JPEG files per class (or train/, val/, test/ of those); --evaluator-opt data.path=DIR',
  kind: 'classification',
  options: OPTIONS,
  create(options) {
    const o = resolveOptions('dataset', OPTIONS, options);
    if (o.path === undefined) throw new ConfigError('dataset.path', 'image-folder needs its folder: --evaluator-opt data.path=DIR');
    if (!existsSync(o.path) || !statSync(o.path).isDirectory()) throw new DataError(`image folder '${o.path}' does not exist or is not a folder`);
    return new ImageFolderData(o.path, o);
  },
};
