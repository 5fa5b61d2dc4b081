// `tsnas/tensor`: the tfjs namespace tsnas itself computes with (a plugin that imports its own
// @tensorflow/tfjs-core gets a second engine, whose tensors and backends tsnas's do not see), backend
// initialisation, and the optimizer the trainer's saved states expect.
export * as tf from '@tensorflow/tfjs-core';
export { BACKEND_CHOICES, initBackend, type BackendChoice, type BackendInfo } from '../tensor/backend.js';
export { adam, FusedAdamOptimizer } from '../tensor/adam.js';
