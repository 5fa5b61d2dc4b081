// The fused Adam optimizer: the same trajectory and state as tf.train.adam, fused on wasm.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { adam } from '../../src/tensor/index.js';
import { ADAM_UPDATE } from '../../src/tensor/adam.js';
import { assertClose, initBothBackends, liveCounts, seeded } from './support.js';

/** Minimises a least-squares problem for `steps` steps; returns the weights' values and the optimizer's state. */
async function run(backend: string, optimizer: () => tf.Optimizer, steps: number) {
  await tf.setBackend(backend);
  const a = tf.tensor2d(seeded(40, 1), [8, 5]);
  const b = tf.tensor2d(seeded(24, 2), [8, 3]);
  const w = tf.variable(tf.tensor2d(seeded(15, 3), [5, 3]), true, `w-${backend}-${Math.random()}`);
  const bias = tf.variable(tf.zeros([3]), true, `b-${backend}-${Math.random()}`);
  const opt = optimizer();
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const cost = opt.minimize(() => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(a, w), bias), b))) as tf.Scalar, true);
    losses.push(cost!.dataSync()[0]!);
    cost!.dispose();
  }
  const state = await opt.getWeights();
  const out = { w: w.dataSync().slice(), bias: bias.dataSync().slice(), losses, state: state.map((s) => ({ name: s.name, values: s.tensor.dataSync().slice() })) };
  opt.dispose();
  tf.dispose([a, b, w, bias]);
  return out;
}

describe('fused Adam', () => {
  before(initBothBackends);

  it('is registered on wasm, and updates every variable of a step in one call', async () => {
    assert.ok(tf.getKernel(ADAM_UPDATE, 'wasm') !== undefined);
    await tf.setBackend('wasm');
    const vars = [tf.variable(tf.tensor1d(seeded(6, 5))), tf.variable(tf.tensor2d(seeded(6, 6), [2, 3])), tf.variable(tf.scalar(0.5))];
    const opt = adam(0.1);
    const { kernelNames } = await tf.profile(() => { opt.minimize(() => tf.addN(vars.map((v) => tf.sum(tf.square(v)))) as tf.Scalar); });
    assert.equal(kernelNames.filter((k) => k === ADAM_UPDATE).length, 1);
    opt.dispose();
    tf.dispose(vars);
  });

  it('names a variable whose inputs are missing or of two shapes, leaking nothing', async () => {
    await tf.setBackend('wasm');
    const [a, b] = [tf.zeros([3]), tf.zeros([4])];
    const attrs = { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, accBeta1: 0.9, accBeta2: 0.999 };
    const before = liveCounts();
    assert.throws(() => tf.engine().runKernel(ADAM_UPDATE, { value0: a, gradient0: a, m0: a, v0: b }, attrs), /value0, gradient0, m0 and v0 must be float32 of one shape/);
    assert.throws(() => tf.engine().runKernel(ADAM_UPDATE, { value0: a, gradient0: a, m0: a, v1: a }, attrs), /needs inputs value<i>, gradient<i>, m<i>, v<i>/);
    assert.deepEqual(liveCounts(), before);
    tf.dispose([a, b]);
  });

  it('follows tf.train.adam step for step, with the same state (moments, iterations)', async () => {
    const want = await run('wasm', () => tf.train.adam(0.05), 25);
    const got = await run('wasm', () => adam(0.05), 25);
    // Float32 rounding differs (one fused expression against ~15 rounded kernels) and compounds over
    // 25 steps; a wrong formula (e.g. no bias correction) is off by orders of magnitude more.
    assert.ok(got.losses[24]! < got.losses[0]! / 2, `the loss falls: ${got.losses[0]} -> ${got.losses[24]}`);
    assertClose(got.losses, want.losses, 'losses', 5e-5);
    assertClose(got.w, want.w, 'w', 5e-5);
    assertClose(got.bias, want.bias, 'bias', 5e-5);
    assert.equal(got.state.length, want.state.length);
    got.state.forEach((s, i) => assertClose(s.values, want.state[i]!.values, `state ${i}`, 5e-5));
    assert.equal(got.state[0]!.values[0], 25, 'iterations');
  });

  it('follows a learning rate changed between steps, as schedules do', async () => {
    const schedule = (opt: tf.Optimizer, step: number) => { (opt as unknown as { learningRate: number }).learningRate = 0.05 / (1 + step); };
    const runScheduled = async (make: () => tf.Optimizer) => {
      await tf.setBackend('wasm');
      const w = tf.variable(tf.tensor1d(seeded(6, 4)));
      const opt = make();
      for (let i = 0; i < 10; i++) {
        schedule(opt, i);
        opt.minimize(() => tf.sum(tf.square(tf.sub(w, 0.3))) as tf.Scalar);
      }
      const out = w.dataSync().slice();
      opt.dispose();
      w.dispose();
      return out;
    };
    assertClose(await runScheduled(() => adam(1)), await runScheduled(() => tf.train.adam(1)), 'w', 5e-5);
  });

  it('falls back to the stock update on a backend without the kernel (cpu)', async () => {
    const want = await run('cpu', () => tf.train.adam(0.05), 5);
    const got = await run('cpu', () => adam(0.05), 5);
    assert.deepEqual(got.w, want.w);
  });

  it('leaks no tensor across steps', async () => {
    await tf.setBackend('wasm');
    const w = tf.variable(tf.ones([4]));
    const opt = adam(0.1);
    opt.minimize(() => tf.sum(tf.square(w)) as tf.Scalar); // creates the moments
    const before = liveCounts();
    for (let i = 0; i < 3; i++) opt.minimize(() => tf.sum(tf.square(w)) as tf.Scalar);
    assert.deepEqual(liveCounts(), before);
    opt.dispose();
    w.dispose();
  });
});
