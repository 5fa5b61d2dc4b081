import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClassificationData } from '../../../src/core/dataset.js';
import { splitAccuracy } from '../../../src/tasks/classification/split-accuracy.js';

/** Example i of every split has label i % 3 and its one pixel holds i. */
const data: ClassificationData = {
  kind: 'classification', shape: [1, 1, 1], classNames: ['a', 'b', 'c'],
  size: (split) => (split === 'train' ? 10 : 7),
  read(_split, index, out, offset) {
    out[offset] = index;
    return index % 3;
  },
};

describe('splitAccuracy', () => {
  it('is top-1 accuracy in percent over the first count examples, across batches', () => {
    const exact = (b: { images: Float32Array }) => Array.from(b.images, (x) => x % 3);
    assert.equal(splitAccuracy(data, 'val', 7, exact, 3), 100);
    // Always class 0: right for indices 0, 3, 6 of the first 7, then for 0 and 3 of the first 5.
    const zero = (b: { labels: Int32Array }) => new Int32Array(b.labels.length);
    assert.equal(splitAccuracy(data, 'val', 7, zero, 2), (100 * 3) / 7);
    assert.equal(splitAccuracy(data, 'test', 5, zero, 4), (100 * 2) / 5);
    assert.equal(splitAccuracy(data, 'val', 0, zero), 0, 'an empty split');
  });

  it('refuses a predictor that returns the wrong number of classes', () => {
    assert.throws(() => splitAccuracy(data, 'val', 4, () => [0], 2), /predict returned 1 classes for a batch of 2/);
  });
});
