// The BatchNorm moving averages in one wasm kernel: bit for bit the ops they replace, one call a step.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { MOVING_AVERAGES, movingAverages } from '../../src/tensor/moving-averages.js';
import { initBothBackends, seeded } from './support.js';

const SHAPES = [[32], [16], [1], [3, 5]];

function pairs(): [tf.Tensor, tf.Tensor][] {
  return SHAPES.map((shape, i) => {
    const size = shape.reduce((p, d) => p * d, 1);
    // Variances are positive and span magnitudes, so rounding differences would show.
    return [tf.tensor(seeded(size, 2 * i + 1).map((v) => Math.exp(8 * v)), shape), tf.tensor(seeded(size, 2 * i + 2), shape)];
  });
}

describe('moving averages kernel (wasm)', () => {
  before(initBothBackends);

  it('equals tf.add(tf.mul(moving, k), tf.mul(batch, 1 - k)) bit for bit, for one pair and for many', async () => {
    await tf.setBackend('wasm');
    assert.ok(tf.getKernel(MOVING_AVERAGES, 'wasm'), 'the kernel is registered on wasm');
    for (const momentum of [0.9, 0.99, 0.3]) {
      for (const ps of [pairs(), pairs().slice(0, 1)]) {
        const got = movingAverages(ps, momentum);
        assert.equal(got.length, ps.length);
        ps.forEach(([m, b], i) => {
          const want = tf.add(tf.mul(m, momentum), tf.mul(b, 1 - momentum));
          assert.deepEqual(got[i]!.shape, m.shape);
          assert.deepEqual(Array.from(got[i]!.dataSync()), Array.from(want.dataSync()), `pair ${i}, momentum ${momentum}`);
          want.dispose();
        });
        tf.dispose([...got, ...ps.flat()]);
      }
    }
  });

  it('runs one kernel for every pair, and the ops where the backend lacks it', async () => {
    await tf.setBackend('wasm');
    const ps = pairs();
    const wasm = await tf.profile(() => movingAverages(ps, 0.9));
    assert.deepEqual(wasm.kernelNames, [MOVING_AVERAGES]);
    const onWasm = wasm.result as tf.Tensor[];
    await tf.setBackend('cpu');
    const cpuPairs = ps.map(([m, b]) => [tf.tensor(m.dataSync(), m.shape), tf.tensor(b.dataSync(), b.shape)] as [tf.Tensor, tf.Tensor]);
    const onCpu = movingAverages(cpuPairs, 0.9);
    onCpu.forEach((t, i) => assert.deepEqual(Array.from(t.dataSync()), Array.from(onWasm[i]!.dataSync())));
    tf.dispose([...onWasm, ...onCpu, ...ps.flat(), ...cpuPairs.flat()]);
    await tf.setBackend('wasm');
  });

  it('names a pair that is missing or of two shapes, leaking nothing', async () => {
    await tf.setBackend('wasm');
    const a = tf.zeros([4]);
    const b = tf.zeros([5]);
    const before = tf.memory().numTensors;
    assert.throws(() => tf.engine().runKernel(MOVING_AVERAGES, { moving0: a, batch0: b }, { momentum: 0.9 }),
      /moving0 and batch0 must be float32 of one shape, got float32 \[4\] and float32 \[5\]/);
    assert.throws(() => tf.engine().runKernel(MOVING_AVERAGES, { moving0: a, batch1: a }, { momentum: 0.9 }), /needs inputs moving0, batch0/);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([a, b]);
  });
});
