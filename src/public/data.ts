// `tsnas/data`: the dataset contract, opening a registered dataset (built-in or a plugin's) by name,
// seeded batches, and the built-in datasets and readers.
export { DATA_SPLITS, type ClassificationData, type Dataset, type DatasetFactory, type DataSplit, type DetectionData, type LabelledBox } from '../core/dataset.js';
export { DATA_OPTION_PREFIX, openDataset, splitDatasetOptions } from '../data/open-dataset.js';
export { classificationBatches, type ClassificationBatch, type ClassificationBatchOptions } from '../data/classification-batches.js';
export { fashionMnistDatasetFactory, mnistDatasetFactory } from '../data/mnist-datasets.js';
export { imageFolderDatasetFactory } from '../data/image-folder.js';
export { detectionBatches, splitOf, type BatchOptions, type BatchSource, type DetectionBatch, type DetectionSplitData } from '../data/detection-batches.js';
export { cocoDatasetFactory } from '../data/coco.js';
export { GLYPH_SCENES, glyphScenesDatasetFactory } from '../data/glyph-scenes.js';
export { readImage, toGrayInput, toRgbInput, type RgbaImage } from '../data/image-decode.js';
export { hashSeed, Prng } from '../data/prng.js';
export { parseIdx, type IdxArray } from '../data/idx.js';
export { loadMnist, type GlyphSource, type MnistSet, type MnistSplit } from '../data/mnist.js';
export { resizeBilinear } from '../data/resize.js';
