// Shared helpers for the tensor backend tests: seeded data, gradients on a chosen backend, closeness.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/tensor/index.js';

/**
 * Both backends registered, so tests can switch with tf.setBackend. Ends on wasm. IS_TEST makes the
 * engine check after every kernel that it left no backend buffer behind (and hushes tfjs's banners).
 */
export async function initBothBackends(): Promise<void> {
  tf.env().set('IS_TEST', true);
  await initBackend('cpu');
  await initBackend('wasm');
}

/** Deterministic values in [-1, 1) (mulberry32), so cpu and wasm see identical inputs. */
export function seeded(size: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

export interface Input {
  shape: number[];
  values: Float32Array;
}

export function input(shape: number[], seed: number, transform?: (v: number) => number): Input {
  const values = seeded(shape.reduce((p, d) => p * d, 1), seed);
  return { shape, values: transform ? values.map(transform) : values };
}

/**
 * Gradients of sum(f(inputs) * r) with respect to every input, on `backend`. The fixed random weights r
 * make dy non-uniform, so every element of the gradient is exercised.
 */
export async function gradsOn(
  backend: string,
  inputs: Input[],
  f: (...xs: tf.Tensor[]) => tf.Tensor,
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
  const grads = tf.grads((...args: tf.Tensor[]) => {
    const y = f(...args);
    return tf.sum(tf.mul(y, tf.tensor(seeded(y.size, 99), y.shape)));
  })(xs);
  const out = grads.map((g) => g.dataSync() as Float32Array);
  tf.dispose([...xs, ...grads]);
  return out;
}

/** max |actual - expected| <= rtol * max(1e-3, max |expected|). */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string, rtol = 1e-4): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  let diff = 0;
  let scale = 1e-3;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  assert.ok(diff <= rtol * scale, `${label}: max abs diff ${diff.toExponential(2)} > ${rtol} x ${scale.toFixed(3)}`);
}

/** Same gradients on wasm (with the project's kernels) as on the cpu reference. */
export async function assertGradsMatch(label: string, inputs: Input[], f: (...xs: tf.Tensor[]) => tf.Tensor): Promise<void> {
  const expected = await gradsOn('cpu', inputs, f);
  const actual = await gradsOn('wasm', inputs, f);
  expected.forEach((e, i) => assertClose(actual[i]!, e, `${label}, gradient ${i}`));
}

/** f's value on wasm against cpu (the gradient checks above cannot see it: they weight f linearly). */
export async function assertValuesMatch(label: string, inputs: Input[], f: (...xs: tf.Tensor[]) => tf.Tensor): Promise<void> {
  const on = async (backend: string) => {
    await tf.setBackend(backend);
    const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
    const y = f(...xs);
    const values = y.dataSync() as Float32Array;
    tf.dispose([...xs, y]);
    return values;
  };
  const expected = await on('cpu');
  assertClose(await on('wasm'), expected, `${label}, value`);
}

/** Live tensors and backend buffers: the second catches leaks inside kernels, which make no tf.Tensor. */
export function liveCounts(): { tensors: number; buffers: number } {
  return { tensors: tf.memory().numTensors, buffers: tf.backend().numDataIds() };
}
