import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ClassificationData, DatasetFactory } from '../../../src/core/dataset.js';
import { Registries } from '../../../src/core/registry.js';
import { fashionMnistDir } from '../../../src/data/mnist.js';
import { NASNET_A, nasNetSpaceFactory, RESNET_LIKE } from '../../../src/spaces/nasnet/index.js';
import { registerEvaluationBuiltins } from '../../../src/wiring/evaluation-builtins.js';

/** Two classes of 8x8 RGB images: bright top half or bright bottom half, with noise. */
const stripes: DatasetFactory = {
  name: 'stripes',
  description: 'test data',
  kind: 'classification',
  options: {},
  create(): ClassificationData {
    return {
      kind: 'classification',
      shape: [8, 8, 3],
      classNames: ['top', 'bottom'],
      size: (split) => (split === 'train' ? 256 : 64),
      read(split, index, out, offset) {
        const label = index % 2;
        for (let p = 0; p < 8 * 8 * 3; p++) {
          const row = Math.floor(p / 24);
          const noise = ((index * 131 + p * 71 + split.length * 17) % 97) / 300;
          out[offset + p] = ((row < 4) === (label === 0) ? 0.7 : 0.1) + noise;
        }
        return label;
      },
    };
  },
};

const registries = registerEvaluationBuiltins(new Registries());
registries.datasets.add(stripes);
const proxy = registries.evaluators.get('classification-proxy');
const small = { backend: 'wasm', filters: 4, batchSize: 16, valImages: 64, testImages: 64, warmupSteps: 2 };

describe('classification proxy', () => {
  it('shapes the network by the dataset (a plugin\'s) and learns it: accuracies well above chance', async () => {
    const space = nasNetSpaceFactory.create({ blocks: 2 });
    const ev = await proxy.create({ ...small, dataset: 'stripes', steps: 40, reductions: 1 }, space);
    assert.equal(ev.primaryMetric, 'val_acc');
    assert.equal(ev.reportMetric, 'test_acc');
    const m = await ev.evaluate({ trial: 0, genotype: RESNET_LIKE, key: space.canonical(RESNET_LIKE), seed: 1 });
    assert.deepEqual(Object.keys(m).sort(), [...ev.metrics].sort());
    assert.ok(Object.values(m).every(Number.isFinite));
    assert.ok(m.val_acc! >= 90 && m.test_acc! >= 90, `val ${m.val_acc} test ${m.test_acc}`);
    assert.ok(m.params! > 0 && m.flops! > 0 && m.trainSeconds! > 0);
  });

  it('trains NASNet-A on MNIST above chance; a rung continued from its saved state ends where a straight run does', async () => {
    const space = nasNetSpaceFactory.create({});
    // 60 steps and 128 images: at 24 steps on 64 it is 12-36 % by seed, and which side of a bar a seed
    // falls on flipped with the float order of a kernel; at 60 it is 60-80 % on the wasm and native kernels alike.
    const ev = await proxy.create({ ...small, valImages: 128, testImages: 128, dataset: 'mnist', steps: 60, trainImages: 2000 }, space);
    const request = { trial: 0, genotype: NASNET_A, key: space.canonical(NASNET_A), seed: 3 };
    const straight = await ev.evaluate(request);
    assert.ok(straight.val_acc! > 50 && straight.test_acc! > 50, `val ${straight.val_acc} test ${straight.test_acc}`);
    const dir = mkdtempSync(join(tmpdir(), 'tsnas-cls-'));
    try {
      await ev.evaluate({ ...request, fidelity: { resource: 30, stateDir: dir } });
      const continued = await ev.evaluate({ ...request, fidelity: { resource: 60, stateDir: dir } });
      assert.equal(continued.stepsRun, 30);
      assert.equal(continued.val_acc, straight.val_acc);
      assert.equal(continued.loss, straight.loss);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('trains NASNet-A on Fashion-MNIST above chance', { skip: !existsSync(join(fashionMnistDir(), 'train-images-idx3-ubyte.gz')) && 'Fashion-MNIST is not installed (Debian dataset-fashion-mnist)' }, async () => {
    const space = nasNetSpaceFactory.create({});
    const ev = await proxy.create({ ...small, dataset: 'fashion-mnist', steps: 30, trainImages: 2000 }, space);
    const m = await ev.evaluate({ trial: 0, genotype: NASNET_A, key: space.canonical(NASNET_A), seed: 0 });
    assert.ok(m.val_acc! > 30 && m.test_acc! > 30, `val ${m.val_acc} test ${m.test_acc}`);
  });

  it('refuses an unknown dataset naming the known ones, a detection dataset, and a space it cannot train', async () => {
    await assert.rejects(Promise.resolve(proxy.create({ dataset: 'cifar10' }, nasNetSpaceFactory.create({}))), /unknown dataset 'cifar10'; known: coco, fashion-mnist, glyph-scenes, image-folder, mnist/);
    await assert.rejects(Promise.resolve(proxy.create({ dataset: 'coco' }, nasNetSpaceFactory.create({}))), /dataset 'coco' holds detection data, not classification/);
    await assert.rejects(Promise.resolve(proxy.create({}, registries.spaces.get('nasbench201').create({}))), /needs the nasnet space/);
  });
});
