import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClassificationData } from '../../src/core/dataset.js';
import { DataError } from '../../src/core/errors.js';
import { classificationBatches } from '../../src/data/classification-batches.js';
import { FASHION_MNIST_ENV, loadMnist } from '../../src/data/mnist.js';
import { fashionMnistDatasetFactory, mnistDatasetFactory } from '../../src/data/mnist-datasets.js';

describe('MNIST-format datasets', () => {
  it('hold out the last training images as validation; test is the official test set', async () => {
    const d = (await mnistDatasetFactory.create({ valImages: 5000 })) as ClassificationData;
    assert.deepEqual(d.shape, [28, 28, 1]);
    assert.equal(d.classNames.length, 10);
    assert.deepEqual([d.size('train'), d.size('val'), d.size('test')], [55000, 5000, 10000]);
    const raw = loadMnist('train');
    const out = new Float32Array(784);
    assert.equal(d.read('val', 0, out, 0), raw.labels[55000]);
    assert.equal(out[300], raw.images[55000 * 784 + 300]! / 255);
    assert.equal(d.read('test', 7, out, 0), loadMnist('test').labels[7]);
    assert.throws(() => d.read('val', 5000, out, 0), RangeError);
  });

  it('give seeded batches: the same seed the same order, another seed another', async () => {
    const d = (await mnistDatasetFactory.create({})) as ClassificationData;
    const labels = (seed: number) => [...classificationBatches(d, 'train', 8, { count: 64, shuffleSeed: seed, dropLast: true })].flatMap((b) => [...b.labels]);
    assert.deepEqual(labels(1), labels(1));
    assert.notDeepEqual(labels(1), labels(2));
    const batches = [...classificationBatches(d, 'val', 30, { count: 70 })];
    assert.deepEqual(batches.map((b) => b.shape[0]), [30, 30, 10]);
    assert.deepEqual([...classificationBatches(d, 'val', 30, { count: 70, fromBatch: 2 })][0]!.labels, batches[2]!.labels);
  });

  it('says which package to install when Fashion-MNIST is absent', () => {
    const before = process.env[FASHION_MNIST_ENV];
    process.env[FASHION_MNIST_ENV] = '/nonexistent/fashion';
    try {
      assert.throws(() => fashionMnistDatasetFactory.create({}), (e: Error) => e instanceof DataError && /dataset-fashion-mnist/.test(e.message));
    } finally {
      if (before === undefined) delete process.env[FASHION_MNIST_ENV];
      else process.env[FASHION_MNIST_ENV] = before;
    }
  });
});
