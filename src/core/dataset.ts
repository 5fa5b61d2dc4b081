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

/** One labelled box: [x0, y0, x1, y1] in the image's pixels (as the network sees it), and its class. */
export interface LabelledBox {
  readonly box: readonly [number, number, number, number];
  readonly label: number;
}

/**
 * Images with boxes for detection. Besides its shape and classes it says which box areas count as
 * small and medium for AP-small/medium/large (COCO's 32² and 96², scaled to the images as given).
 */
export interface DetectionData {
  readonly kind: 'detection';
  readonly shape: readonly [number, number, number];
  readonly classNames: readonly string[];
  readonly areaThresholds: { readonly small: number; readonly medium: number };
  /**
   * Mixed into the seed of the training order (default 0): a generated set gives the seed it is made
   * from, so another data seed changes the order as well as the images.
   */
  readonly orderSeed?: number;
  size(split: DataSplit): number;
  /** Writes image `index` of `split` (height * width * channels floats in [0, 1], HWC) into `out` at `offset`; returns its boxes. */
  read(split: DataSplit, index: number, out: Float32Array, offset: number): readonly LabelledBox[];
}

export type Dataset = ClassificationData | DetectionData;

/** Makes a dataset from its options; what the dataset registry lists and a plugin registers. */
export interface DatasetFactory {
  readonly name: string;
  readonly description: string;
  /** The task its data is for: an evaluator takes the datasets of its kind. */
  readonly kind: Dataset['kind'];
  readonly options: OptionSpecs;
  create(options: Readonly<Record<string, unknown>>): Dataset | Promise<Dataset>;
}
