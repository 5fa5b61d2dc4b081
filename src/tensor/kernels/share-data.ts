import * as tf from '@tensorflow/tfjs-core';
import { inputsOf } from './scope.js';

interface RefCountingBackend {
  incRef(dataId: tf.DataId): void;
}

function isRefCounting(b: unknown): b is RefCountingBackend {
  return typeof (b as Partial<RefCountingBackend>).incRef === 'function';
}

/** The input itself, one more reference to its data: no kernel writes into its inputs, so sharing is safe. */
function share(backend: unknown, x: tf.TensorInfo): tf.TensorInfo | undefined {
  if (!isRefCounting(backend) || x.dtype === 'string') return undefined;
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * Identity (tf.clone) sharing its input's data, as the cpu backend's does, instead of wasm's copy.
 * The engine clones every tensor it saves for the backward pass: ~530 copies per detector step.
 */
export function identityConfig(backendName: string, stock?: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Identity, backendName, setupFunc: stock?.setupFunc,
    kernelFunc: (args) => {
      const { x } = inputsOf(tf.Identity, args.inputs, ['x']);
      const out = share(args.backend, x);
      if (out !== undefined) return out;
      if (stock === undefined) throw new Error(`tsnas ${tf.Identity}: the backend does not count references`);
      return stock.kernelFunc(args);
    },
  };
}

/** Cast to the dtype the tensor already has (every gradient of a product asks for one): shared too. */
export function castConfig(backendName: string, stock?: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Cast, backendName, setupFunc: stock?.setupFunc,
    kernelFunc: (args) => {
      const { x } = inputsOf(tf.Cast, args.inputs, ['x']);
      const same = (args.attrs as unknown as tf.CastAttrs).dtype === x.dtype;
      const out = same ? share(args.backend, x) : undefined;
      if (out !== undefined) return out;
      if (stock === undefined) throw new Error(`tsnas ${tf.Cast}: no kernel for a cast from ${x.dtype}`);
      return stock.kernelFunc(args);
    },
  };
}
