import * as tf from '@tensorflow/tfjs-core';
import type { Ctx } from '../../nn/layers.js';
import { reluConvBn } from '../../nn/conv.js';
import { factorizedReduction } from '../../nn/reduce.js';
import { outputStates, type NasNetCell } from '../../spaces/nasnet/genotype.js';
import { applyOp } from './ops.js';

/**
 * h_{i-1} brought to h_i's shape and `filters` channels: factorized reduction (after ReLU) where its
 * resolution is higher (the cell after a reduction), a 1x1 conv where only its channels differ.
 */
function adjustPrevious(ctx: Ctx, name: string, prev: tf.Tensor4D, cur: tf.Tensor4D, filters: number): tf.Tensor4D {
  if (prev.shape[1] !== cur.shape[1]) return factorizedReduction(ctx, `${name}/prev_reduce`, tf.relu(prev), filters);
  if (prev.shape[3] !== filters) return reluConvBn(ctx, `${name}/prev_1x1`, prev, { kh: 1, kw: 1 }, filters);
  return prev;
}

/**
 * One cell (nasnet_utils' cell base and blocks): the states start as [h_i after ReLU -> 1x1 conv -> BN,
 * h_{i-1} adjusted]; each block applies its ops to its two states (stride 2 in a reduction cell when
 * reading state 0 or 1), adds or concatenates them and appends the result; the output concatenates the
 * cell's output states, a full-resolution input among them reduced first.
 */
export function buildCell(ctx: Ctx, name: string, cell: NasNetCell, cur: tf.Tensor4D, prev: tf.Tensor4D, filters: number, reduction: boolean): tf.Tensor4D {
  const h = reluConvBn(ctx, `${name}/base`, cur, { kh: 1, kw: 1 }, filters);
  const states: tf.Tensor4D[] = [h, adjustPrevious(ctx, name, prev, cur, filters)];
  cell.blocks.forEach((b, k) => {
    const [a, c] = b.inputs.map((s, n) => applyOp(ctx, `${name}/b${k}/op${n}`, b.ops[n]!, states[s]!, filters, reduction && s < 2 ? 2 : 1));
    states.push(b.combine === 'add' ? tf.add(a!, c!) : tf.concat([a!, c!], 3));
  });
  const size = reduction ? Math.ceil(h.shape[1] / 2) : h.shape[1];
  const outs = outputStates(cell).map((s) => {
    const x = states[s]!;
    return x.shape[1] === size ? x : factorizedReduction(ctx, `${name}/out${s}_reduce`, tf.relu(x), x.shape[3]);
  });
  return outs.length === 1 ? outs[0]! : tf.concat(outs, 3);
}
