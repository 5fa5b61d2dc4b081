import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { ParamStore } from '../../src/nn/params.js';
import { initBackend } from '../../src/tensor/index.js';
import type { FusedAdamOptimizer } from '../../src/tensor/adam.js';
import { DivergenceError, learningRateAt, runTraining, type TrainLoop, type TrainSchedule } from '../../src/train/trainer.js';

const schedule: TrainSchedule = { totalSteps: 6, batchSize: 1, learningRate: 0.1, warmupSteps: 2 };

/** A one-weight "network" fitted to 3 by (w - 3)^2, batches numbered by epoch and position. */
function toy(over: Partial<TrainLoop<number>> = {}): { loop: TrainLoop<number>; params: ParamStore; rates: number[]; optimizers: Set<FusedAdamOptimizer> } {
  const params = new ParamStore(1);
  const w = params.constant('w', [1], 0);
  const rates: number[] = [];
  const optimizers = new Set<FusedAdamOptimizer>();
  const loop: TrainLoop<number> = {
    params,
    schedule,
    toStep: schedule.totalSteps,
    runKey: 'toy',
    perEpoch: 2,
    epochBatches: function* (epoch, fromBatch) {
      for (let b = fromBatch; b < 2; b++) yield epoch * 2 + b;
    },
    step: (_batch, optimizer) => {
      optimizers.add(optimizer);
      rates.push((optimizer as unknown as { learningRate: number }).learningRate);
      const cost = optimizer.minimize(() => tf.sum(tf.square(tf.sub(w, 3))) as tf.Scalar, true, params.trainable());
      const loss = (cost as tf.Scalar).dataSync()[0] as number;
      cost?.dispose();
      return loss;
    },
    exploded: 1e6,
    ...over,
  };
  return { loop, params, rates, optimizers };
}

describe('runTraining', () => {
  before(async () => {
    await initBackend('cpu');
  });

  it('runs one Adam of its own at the schedule learning rate of every step', async () => {
    const { loop, params, rates, optimizers } = toy();
    const progress: number[] = [];
    const out = await runTraining({ ...loop, onProgress: (step) => progress.push(step) });
    assert.equal(optimizers.size, 1, 'one optimizer for the whole run');
    assert.deepEqual(rates, [0, 1, 2, 3, 4, 5].map((s) => learningRateAt(schedule, s)));
    assert.deepEqual(progress, [1, 2, 3, 4, 5, 6]);
    assert.equal(out.from, 0);
    assert.ok((params.all().get('w')!.dataSync()[0] as number) > 0.1, 'the weight moved towards 3');
    params.dispose();
  });

  it('continues a lower rung from its saved state as a run straight through would', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnas-trainer-'));
    try {
      const straight = toy();
      await runTraining(straight.loop);
      const low = toy({ toStep: 3, stateDir: dir });
      await runTraining(low.loop);
      const high = toy({ stateDir: dir });
      const out = await runTraining(high.loop);
      assert.equal(out.from, 3);
      assert.equal(high.rates.length, 3, 'only the steps past the rung run');
      assert.equal(high.params.all().get('w')!.dataSync()[0], straight.params.all().get('w')!.dataSync()[0]);
      for (const t of [straight, low, high]) t.params.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails a run whose loss is not finite or explodes, naming the step', async () => {
    const nan = toy({ step: () => NaN });
    await assert.rejects(runTraining(nan.loop), (e: unknown) => e instanceof DivergenceError && /loss is NaN at step 1/.test(e.message));
    const big = toy({ step: () => 1e7 });
    await assert.rejects(runTraining(big.loop), (e: unknown) => e instanceof DivergenceError && /loss 1\.00e\+7 at step 1/.test(e.message));
    for (const t of [nan, big]) t.params.dispose();
  });

  it('refuses a step past the schedule and a split smaller than a batch', async () => {
    const t = toy();
    await assert.rejects(runTraining({ ...t.loop, toStep: 7 }), /cannot train to step 7: the schedule has 6 steps/);
    await assert.rejects(runTraining({ ...t.loop, perEpoch: 0 }), /smaller than one batch/);
    t.params.dispose();
  });
});
