// Shared by the native-kernel tests: the displaced kernels put back, and NASNet-A's cells checked with either.
import * as tf from '@tensorflow/tfjs-core';
import { buildCell } from '../../src/architectures/nasnet/cell.js';
import { NASNET_A } from '../../src/spaces/nasnet/index.js';
import { displacedByNative } from '../../src/tensor/native/index.js';
import { assertOpGradsMatch } from '../architectures/op-grads.js';
import { input } from './support.js';

/** Runs f with the kernels that the native `names` displaced registered on wasm, then restores the native ones. */
export async function withDisplaced(names: readonly string[], f: () => Promise<void>): Promise<void> {
  const swap = (configs: tf.KernelConfig[]) => {
    for (const config of configs) {
      tf.unregisterKernel(config.kernelName, 'wasm');
      tf.registerKernel(config);
    }
  };
  const nativeConfigs = names.map((name) => tf.getKernel(name, 'wasm')!);
  swap(names.map((name) => {
    const k = displacedByNative(name);
    if (k === undefined) throw new Error(`the native ${name} displaced nothing`);
    return k;
  }));
  try {
    await f();
  } finally {
    swap(nativeConfigs);
  }
}

/**
 * A NASNet-A cell's gradients (on a 2x5x5x8 input, a 10x10 previous state) match the cpu backend's
 * with the native kernels `names` and with the ones they displaced.
 */
export async function assertCellGradsWithAndWithout(names: readonly string[], reduction: boolean, what: string): Promise<void> {
  const prev = input([2, 10, 10, 3], 8);
  const cell = (ctx: Parameters<typeof buildCell>[0], x: tf.Tensor4D) => {
    const p = tf.tensor4d(prev.values, prev.shape as [number, number, number, number]);
    return buildCell(ctx, 'c', reduction ? NASNET_A.reduction : NASNET_A.normal, x, p, 8, reduction);
  };
  const x = input([2, 5, 5, 8], 7);
  await assertOpGradsMatch(`cell, native ${what}`, x, cell);
  await withDisplaced(names, async () => { await assertOpGradsMatch(`cell, displaced ${what}`, x, cell); });
}
