// Datasets: raw MNIST access and the synthetic multi-scale digit detection set for NAS-FPN proxies.
export { hashSeed, Prng } from './prng.js';
export { parseIdx, type IdxArray } from './idx.js';
export { FASHION_MNIST_ENV, fashionMnistDir, loadMnist, mnistDataDir, mnistImage, type GlyphSource, type MnistSet, type MnistSplit } from './mnist.js';
export { resizeBilinear } from './resize.js';
export { inkBounds, scaledDigit, type Patch } from './digit-patch.js';
export {
  areaThresholdsForSides,
  classesOf,
  classNames,
  DEFAULT_DETECTION_CONFIG,
  resolveDetectionConfig,
  type DetectionSplit,
  type DigitDetectionConfig,
} from './detection-config.js';
export { SOURCE_SPLIT, synthesizeSample, type DetectionSample, type DigitObject } from './synthesize.js';
export { createDigitDetectionDataset, DigitDetectionDataset } from './detection-dataset.js';
export { detectionBatches, splitOf, type BatchOptions, type BatchSource, type DetectionBatch, type DetectionSplitData } from './detection-batches.js';
export { sizeBucketCounts, type SizeBucketCounts } from './size-buckets.js';
export { encodePgm, encodePng, renderWithBoxes, writeSampleImage, type GrayImage } from './image-file.js';
