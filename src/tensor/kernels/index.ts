import * as tf from '@tensorflow/tfjs-core';
import { adamUpdateConfig } from './adam-update.js';
import { concatConfig } from './concat.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter.js';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { movingAveragesConfig } from './moving-averages.js';
import { smoothL1Config } from './smooth-l1.js';
import { registerSmoothL1Gradient } from '../smooth-l1.js';
import { castConfig, identityConfig } from './share-data.js';
import { installDirectSaves } from '../saved-tensors.js';
import { sliceConfig } from './slice.js';
import { splitVConfig } from './split-v.js';

export { KernelScope, withScope } from './scope.js';

import { installedBy } from './tags.js';

export interface RegisteredKernels {
  /** Kernels the backend lacked, now registered. */
  added: string[];
  /** Stock kernels replaced by faster ones (each keeps the stock kernel as its fallback). */
  replaced: string[];
}

export interface RegisterOptions {
  /** Replace the slow stock kernels too (default: only on 'wasm', where they were measured slow). */
  replaceSlow?: boolean;
}

/**
 * Registers the project's training kernels for a backend. Call it after the backend is initialised
 * (tf.setBackend resolved): a replacement wraps the stock kernel, whose setup must have run.
 * Kernels the backend already has are left alone, except the slow ones when replaceSlow is set.
 * Idempotent.
 */
export function registerTrainingKernels(backendName = 'wasm', options: RegisterOptions = {}): RegisteredKernels {
  const replaceSlow = options.replaceSlow ?? backendName === 'wasm';
  const result: RegisteredKernels = { added: [], replaced: [] };
  const install = (config: tf.KernelConfig, stock: tf.KernelConfig | undefined): void => {
    if (stock !== undefined) tf.unregisterKernel(config.kernelName, backendName);
    installedBy.set(config.kernelFunc, 'composite');
    tf.registerKernel(config);
    (stock === undefined ? result.added : result.replaced).push(config.kernelName);
  };

  const missing = [conv2dBackpropFilterConfig, depthwiseBackpropInputConfig, depthwiseBackpropFilterConfig];
  // The fused Adam step, the BatchNorm moving averages and the box loss work on the wasm heap.
  if (backendName === 'wasm') {
    missing.push(adamUpdateConfig, movingAveragesConfig, smoothL1Config);
    registerSmoothL1Gradient();
  }
  for (const make of missing) {
    const config = make(backendName);
    if (tf.getKernel(config.kernelName, backendName) === undefined) install(config, undefined);
  }
  if (replaceSlow) {
    // Through a forward conv: ~10x faster than stock at stride 1, ~3x at 2; the stock loop from stride 4.
    const replacements = [(stock?: tf.KernelConfig) => conv2dBackpropInputConfig(backendName, stock, 9)];
    // The MaxPoolGrad, SplitV, Concat and Slice replacements read and write the wasm heap directly.
    if (backendName === 'wasm') {
      replacements.push((stock?: tf.KernelConfig) => maxPoolGradConfig(backendName, stock));
      replacements.push((stock?: tf.KernelConfig) => splitVConfig(backendName, stock));
      // Concat and Slice copy NHWC runs of a few channels without a subarray per run.
      replacements.push((stock?: tf.KernelConfig) => concatConfig(backendName, stock));
      replacements.push((stock?: tf.KernelConfig) => sliceConfig(backendName, stock));
      // wasm copies on Identity and same-dtype Cast; these share the data, as the cpu backend does.
      replacements.push((stock?: tf.KernelConfig) => identityConfig(backendName, stock));
      replacements.push((stock?: tf.KernelConfig) => castConfig(backendName, stock));
    }
    for (const make of replacements) {
      const name = make().kernelName;
      const stock = tf.getKernel(name, backendName);
      if (stock !== undefined && installedBy.has(stock.kernelFunc)) continue;
      install(make(stock), stock);
    }
    // With Identity sharing data, the engine's saved tensors need no Identity run.
    if (backendName === 'wasm') installDirectSaves();
  }
  return result;
}
