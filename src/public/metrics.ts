// `tsnas/metrics`: classification accuracy over a split, and COCO-style detection AP over plain boxes.
export { splitAccuracy } from '../tasks/classification/split-accuracy.js';
export * from '../metrics/index.js';
