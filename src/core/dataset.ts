import type { OptionSpecs } from './options.js';

/** The three splits every dataset has: train on one, reward on another, report the third. */
export const DATA_SPLITS = ['train', 'val', 'test'] as const;
export type DataSplit = (typeof DATA_SPLITS)[number];

/**
 * Labelled images for classification. It says what it holds (image shape, class names), so the model
 * is shaped by the data, never by matching defaults; its examples are in a fixed order per split,
 * which a seeded batcher shuffles.
 */
export interface ClassificationData {
  readonly kind: 'classification';
  /** [height, width, channels] of every image. */
  readonly shape: readonly [number, number, number];
  readonly classNames: readonly string[];
  size(split: DataSplit): number;
  /** Writes example `index` of `split` (height * width * channels floats in [0, 1], HWC) into `out` at `offset`; returns its label. */
  read(split: DataSplit, index: number, out: Float32Array, offset: number): number;
}

export type Dataset = ClassificationData;

/** Makes a dataset from its options; what the dataset registry lists and a plugin registers. */
export interface DatasetFactory {
  readonly name: string;
  readonly description: string;
  /** The task its data is for: an evaluator takes the datasets of its kind. */
  readonly kind: Dataset['kind'];
  readonly options: OptionSpecs;
  create(options: Readonly<Record<string, unknown>>): Dataset | Promise<Dataset>;
}
