import type * as tf from '@tensorflow/tfjs-core';
import { DataError } from '../core/errors.js';
import type { NamedWeight } from '../core/exportable.js';
import type { ParamStore } from './params.js';

/** Every variable of a network (weights and BatchNorm statistics) by its stable name, copied out. */
export function paramWeights(params: ParamStore): NamedWeight[] {
  return [...params.all()].map(([name, v]) => ({ name, shape: v.shape.slice(), values: Float32Array.from(v.dataSync() as Float32Array) }));
}

function assignWeights(params: ParamStore, weights: ReadonlyMap<string, tf.Tensor>, where: string): void {
  const vars = params.all();
  for (const [name, v] of vars) {
    const w = weights.get(name);
    if (!w) throw new DataError(`${where}: no weight for the network's variable '${name}'`);
    if (w.shape.join('x') !== v.shape.join('x')) throw new DataError(`${where}: weight '${name}' has shape [${w.shape}], the network's variable [${v.shape}]`);
    v.assign(w);
  }
  const extra = [...weights.keys()].filter((n) => !vars.has(n));
  if (extra.length > 0) throw new DataError(`${where}: ${extra.length} weights belong to no variable of the network (first: '${extra[0]}')`);
}

/**
 * A freshly built network with exported weights loaded into its variables: every variable must have a
 * weight of its shape and every weight a variable, or the weights belong to another network (`where`
 * names them, and the network is disposed).
 */
export function withWeights<N extends { readonly params: ParamStore; dispose(): void }>(net: N, weights: ReadonlyMap<string, tf.Tensor>, where: string): N {
  try {
    assignWeights(net.params, weights, where);
    return net;
  } catch (e) {
    net.dispose();
    throw e;
  }
}
