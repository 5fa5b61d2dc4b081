export * from './factory.js';
export * from './genotype.js';
export * from './named.js';
export * from './ops.js';
export { DEFAULT_NASNET_CONFIG, isNasNetSpace, NasNetSpace, type NasNetSpaceConfig } from './space.js';
