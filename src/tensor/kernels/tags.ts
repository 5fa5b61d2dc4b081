import type * as tf from '@tensorflow/tfjs-core';

/**
 * Which of the project's kernel sets installed a kernel function: registering a set again is a
 * no-op, and the wasm composites never displace the native kernels (which do displace them).
 */
export const installedBy = new WeakMap<tf.KernelFunc, 'composite' | 'native'>();
