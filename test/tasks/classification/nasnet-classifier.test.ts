import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { NasNetClassifier, type NasNetNetConfig } from '../../../src/tasks/classification/nasnet-classifier.js';
import { sampleChoices } from '../../../src/core/choices.js';
import { Rng } from '../../../src/core/rng.js';
import { NASNET_A, NasNetSpace, RESNET_LIKE, type NasNetGenotype } from '../../../src/spaces/nasnet/index.js';
import { adam, initBackend } from '../../../src/tensor/index.js';

const config: NasNetNetConfig = { imageShape: [12, 12, 1], classes: 3, cellsPerStage: 1, filters: 4, reductions: 2, stemMultiplier: 2 };

function batch(n: number, seed: number) {
  const rng = Rng.fromSeed(seed);
  return { images: Float32Array.from({ length: n * 144 }, () => rng.next()), shape: [n, 12, 12, 1] as const, labels: Int32Array.from({ length: n }, () => Math.floor(rng.next() * 3)) };
}

describe('NASNet classifier', () => {
  before(async () => {
    await initBackend('wasm');
  });

  it('counts parameters and FLOPs; more cells or filters cost more', () => {
    const small = new NasNetClassifier(NASNET_A, config, 0);
    const wide = new NasNetClassifier(NASNET_A, { ...config, filters: 8 }, 0);
    const deep = new NasNetClassifier(NASNET_A, { ...config, cellsPerStage: 2 }, 0);
    assert.ok(small.size.params > 1000 && small.size.flops > 0);
    assert.ok(wide.size.params > 2 * small.size.params && wide.size.flops > 2 * small.size.flops);
    assert.ok(deep.size.params > small.size.params);
    for (const m of [small, wide, deep]) m.dispose();
  });

  it('NASNet-A, the ResNet-like cells and random cells train: finite losses, predictions in range', () => {
    const rng = Rng.fromSeed(1);
    const space = new NasNetSpace();
    const darts = new NasNetSpace({ blocks: 3, ops: ['none', 'max_pool3x3', 'avg_pool3x3', 'identity', 'sep_conv3x3', 'sep_conv5x5', 'dil_sep_conv3x3', 'dil_sep_conv5x5'], combines: ['add', 'concat'] });
    const genotypes: NasNetGenotype[] = [NASNET_A, RESNET_LIKE, space.decode(sampleChoices(space, rng)), darts.decode(sampleChoices(darts, rng))];
    for (const g of genotypes) {
      const before = tf.memory().numTensors;
      const net = new NasNetClassifier(g, config, 2);
      const opt = adam(0.01);
      const losses = [0, 1, 2].map((s) => net.trainStep(opt, batch(4, s)));
      assert.ok(losses.every((l) => Number.isFinite(l) && l > 0), `losses ${losses}`);
      const pred = net.predict(batch(5, 9));
      assert.equal(pred.length, 5);
      assert.ok(pred.every((p) => p >= 0 && p < 3));
      net.dispose();
      opt.dispose();
      assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
    }
  });
});
