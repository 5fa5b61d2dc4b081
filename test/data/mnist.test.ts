import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadMnist, mnistImage, parseIdx } from '../../src/data/index.js';

test('parseIdx reads big-endian dims and rejects bad files', () => {
  const buf = Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
  const a = parseIdx(buf);
  assert.deepEqual(a.dims, [2, 3]);
  assert.deepEqual([...a.data], [1, 2, 3, 4, 5, 6]);
  assert.throws(() => parseIdx(buf.subarray(0, 17)), /expected 18 bytes/);
  assert.throws(() => parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 0])), /unsupported/);
  assert.throws(() => parseIdx(Uint8Array.from([1, 2, 3, 4])), /not an IDX/);
});

test('MNIST splits load with the published sizes and are cached', () => {
  const train = loadMnist('train');
  const testSet = loadMnist('test');
  assert.equal(train.count, 60000);
  assert.equal(testSet.count, 10000);
  assert.equal(train.rows, 28);
  assert.equal(train.cols, 28);
  assert.equal(loadMnist('train'), train, 'second call returns the cached arrays');
  // Well-known first labels of each file.
  assert.deepEqual([...train.labels.subarray(0, 5)], [5, 0, 4, 1, 9]);
  assert.deepEqual([...testSet.labels.subarray(0, 5)], [7, 2, 1, 0, 4]);
  assert.ok(train.labels.every((l) => l <= 9));
  assert.equal(mnistImage(train, 0).length, 784);
  assert.throws(() => mnistImage(testSet, 10000), RangeError);
});
