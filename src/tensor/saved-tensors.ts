import * as tf from '@tensorflow/tfjs-core';
import { installedBy } from './kernels/tags.js';

/** The parts of tfjs-core's Engine that saving a tensor for the backward pass uses. */
interface SavingEngine {
  backend: tf.KernelBackend;
  backendName: string;
  keep<T extends tf.Tensor>(t: T): T;
  makeTensorFromTensorInfo(info: tf.TensorInfo, backend?: tf.KernelBackend): tf.Tensor;
  saveTensorsForBackwardMode(tensors: tf.Tensor[]): tf.Tensor[];
}

let installed = false;
let enabled = true;

/** Turns the direct saves off (tfjs's clones) or back on: for A/B measurements. */
export function useDirectSaves(on: boolean): void {
  enabled = on;
}

/**
 * The engine keeps the tensors a gradient needs by cloning each (tf.clone: an Identity kernel run
 * and a tape node that backprop prunes, since gradient functions read saved tensors but nothing
 * differentiates them): ~470 clones per detector step. Where Identity is tsnas's data-sharing kernel
 * (wasm, kernels/share-data.ts), a clone is just a new tensor on the same data, one more reference;
 * this makes it directly, without the kernel run and the tape node. Other backends keep tfjs's clone.
 */
export function installDirectSaves(): void {
  if (installed) return;
  installed = true;
  const engine = tf.engine() as unknown as SavingEngine;
  const clone = engine.saveTensorsForBackwardMode.bind(engine);
  engine.saveTensorsForBackwardMode = (tensors) => {
    const identity = tf.getKernel(tf.Identity, engine.backendName);
    const backend = engine.backend as tf.KernelBackend & { incRef?: (dataId: tf.DataId) => void };
    if (!enabled || identity === undefined || installedBy.get(identity.kernelFunc) === undefined || typeof backend.incRef !== 'function') return clone(tensors);
    return tensors.map((t) => {
      backend.incRef!(t.dataId);
      return engine.keep(engine.makeTensorFromTensorInfo({ dataId: t.dataId, shape: t.shape, dtype: t.dtype }, backend));
    });
  };
}
