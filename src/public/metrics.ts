// `tsnas/metrics`: classification accuracy over a split, and COCO-style detection AP over plain boxes.
export { splitAccuracy } from '../train/split-accuracy.js';
export * from '../metrics/index.js';
