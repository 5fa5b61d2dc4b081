export * from './factory.js';
export * from './genotype.js';
export * from './graph.js';
export * from './named.js';
export * from './space.js';
