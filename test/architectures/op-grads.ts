// Gradients of a network piece (an op, a cell) on wasm against the cpu reference, for the NASNet tests.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { newCtx, type Ctx } from '../../src/nn/layers.js';
import { ParamStore } from '../../src/nn/params.js';
import { assertClose, seeded, type Input } from '../tensor/support.js';

/** Gradients of sum(f(x) * r) with respect to x and every parameter f creates, on `backend`. */
async function gradsOn(backend: string, x: Input, f: (ctx: Ctx, x: tf.Tensor4D) => tf.Tensor4D): Promise<{ shape: number[]; grads: Float32Array[] }> {
  await tf.setBackend(backend);
  const params = new ParamStore(11);
  const xv = tf.variable(tf.tensor4d(x.values, x.shape as [number, number, number, number]), true);
  const shape = tf.tidy(() => f(newCtx(params, false), xv).shape);
  const ctx = newCtx(params, true);
  const r = tf.tensor(seeded(shape.reduce((a, b) => a * b, 1), 99), shape);
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(f(ctx, xv), r)) as tf.Scalar, [xv, ...params.trainable()]);
  const out = [xv, ...params.trainable()].map((v) => grads[v.name]!.dataSync() as Float32Array);
  tf.dispose([value, r, xv, ...Object.values(grads), ...ctx.bnUpdates.flatMap((u) => [u.mean, u.variance])]);
  params.dispose();
  return { shape, grads: out };
}

/** Gradients on wasm equal cpu's (to 1e-3); returns f's output shape. */
export async function assertOpGradsMatch(label: string, x: Input, f: (ctx: Ctx, x: tf.Tensor4D) => tf.Tensor4D): Promise<number[]> {
  const cpu = await gradsOn('cpu', x, f);
  const wasm = await gradsOn('wasm', x, f);
  assert.deepEqual(wasm.shape, cpu.shape);
  assert.equal(wasm.grads.length, cpu.grads.length);
  cpu.grads.forEach((e, i) => assertClose(wasm.grads[i]!, e, `${label}, gradient ${i}`, 1e-3));
  return cpu.shape;
}
