import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  createDigitDetectionDataset,
  FASHION_MNIST_ENV,
  fashionMnistDir,
  inkBounds,
  loadMnist,
  mnistImage,
  sizeBucketCounts,
  type DetectionSample,
} from '../../src/data/index.js';
import type { Box } from '../../src/metrics/index.js';

const bytes = (s: DetectionSample): Buffer => Buffer.from(s.image.buffer, s.image.byteOffset, s.image.byteLength);

test('same seed gives identical bytes and boxes; another seed differs', () => {
  const a = createDigitDetectionDataset({ numImages: 20, seed: 11 });
  const b = createDigitDetectionDataset({ numImages: 20, seed: 11 });
  const c = createDigitDetectionDataset({ numImages: 20, seed: 12 });
  for (let i = 0; i < 20; i++) {
    assert.ok(bytes(a.get(i)).equals(bytes(b.get(i))));
    assert.deepEqual(a.get(i).objects, b.get(i).objects);
  }
  // Random access: an index alone regenerates the same image as in sequence.
  assert.ok(bytes(a.get(7)).equals(bytes([...b][7]!)));
  const differ = Array.from({ length: 20 }, (_, i) => !bytes(a.get(i)).equals(bytes(c.get(i))));
  assert.ok(differ.every(Boolean));
});

test('boxes are inside the canvas, tight around the ink, and not heavily overlapping', () => {
  const ds = createDigitDetectionDataset({ numImages: 60, seed: 3 });
  const { maxIou } = ds.config;
  let checkedTight = 0;
  for (const s of ds) {
    assert.equal(s.image.length, s.width * s.height);
    for (const o of s.objects) {
      const [x1, y1, x2, y2] = o.box;
      assert.ok(Number.isInteger(x1) && x1 >= 0 && y1 >= 0 && x2 <= s.width && y2 <= s.height && x2 > x1 && y2 > y1);
      // Tight: within the box grown by 1 px, the ink spans exactly the box. Only checked where the
      // grown box is clear of other boxes, whose ink could legitimately be there.
      const g: Box = [Math.max(0, x1 - 1), Math.max(0, y1 - 1), Math.min(s.width, x2 + 1), Math.min(s.height, y2 + 1)];
      const clear = s.objects.every((p) => p === o || p.box[0] >= g[2] || p.box[2] <= g[0] || p.box[1] >= g[3] || p.box[3] <= g[1]);
      if (!clear) continue;
      const w = g[2] - g[0];
      const crop = new Float32Array(w * (g[3] - g[1]));
      for (let y = g[1]; y < g[3]; y++) crop.set(s.image.subarray(y * s.width + g[0], y * s.width + g[2]), (y - g[1]) * w);
      const ink = inkBounds(crop, w, g[3] - g[1])!;
      assert.deepEqual([ink.x0 + g[0], ink.y0 + g[1], ink.x1 + g[0], ink.y1 + g[1]], [x1, y1, x2, y2]);
      checkedTight++;
    }
    for (let i = 0; i < s.objects.length; i++) {
      for (let j = i + 1; j < s.objects.length; j++) {
        const [a, b] = [s.objects[i]!.box, s.objects[j]!.box];
        const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
        const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
        const area = (q: Box): number => (q[2] - q[0]) * (q[3] - q[1]);
        assert.ok((iw * ih) / (area(a) + area(b) - iw * ih) <= maxIou);
      }
    }
  }
  assert.ok(checkedTight > 100, `only ${checkedTight} isolated objects checked`);
});

test('labels are the MNIST labels of the pasted source digits', () => {
  for (const split of ['train', 'val', 'test'] as const) {
    const ds = createDigitDetectionDataset({ split, numImages: 30 });
    for (const s of ds) {
      const m = loadMnist(s.sourceSplit);
      for (const o of s.objects) assert.equal(o.label, m.labels[o.sourceIndex]);
    }
  }
});

test('train, val and test draw from disjoint MNIST source images', () => {
  const train = createDigitDetectionDataset({ split: 'train', numImages: 100 });
  const val = createDigitDetectionDataset({ split: 'val', numImages: 100 });
  const testSplit = createDigitDetectionDataset({ split: 'test', numImages: 100 });
  assert.equal(train.get(0).sourceSplit, 'train');
  assert.equal(val.get(0).sourceSplit, 'test');
  assert.equal(testSplit.get(0).sourceSplit, 'test');
  const key = (split: 'train' | 'test', i: number): string => Buffer.from(mnistImage(loadMnist(split), i)).toString('base64');
  const trainPixels = new Set([...train].flatMap((s) => s.objects.map((o) => key('train', o.sourceIndex))));
  const valPixels = [...val].flatMap((s) => s.objects.map((o) => key('test', o.sourceIndex)));
  const testPixels = [...testSplit].flatMap((s) => s.objects.map((o) => key('test', o.sourceIndex)));
  assert.ok(trainPixels.size > 200 && valPixels.length > 200 && testPixels.length > 200);
  assert.ok(valPixels.every((p) => !trainPixels.has(p)), 'a val digit is pixel-identical to a train digit');
  const valSet = new Set(valPixels);
  assert.ok(testPixels.every((p) => !trainPixels.has(p) && !valSet.has(p)), 'a test digit also appears in train or val');
  // The index ranges themselves are disjoint (val: first half of MNIST test, test: second half).
  assert.ok([...val].every((s) => s.objects.every((o) => o.sourceIndex < 5000)));
  assert.ok([...testSplit].every((s) => s.objects.every((o) => o.sourceIndex >= 5000)));
});

test('glyphs: fashion items and two-source scenes with offset labels; clutter adds ink but no objects', { skip: !existsSync(join(fashionMnistDir(), 't10k-labels-idx1-ubyte.gz')) && 'Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)' }, () => {
  const fashion = createDigitDetectionDataset({ split: 'val', numImages: 20, glyphs: 'fashion' });
  const fm = loadMnist('test', 'fashion');
  for (const s of fashion) for (const o of s.objects) assert.equal(o.label, fm.labels[o.sourceIndex]);
  const both = createDigitDetectionDataset({ split: 'train', numImages: 60, glyphs: 'both' });
  const sources = new Set<string>();
  for (const s of both) {
    const scene = new Set(s.objects.map((o) => o.source));
    assert.ok(scene.size <= 1, 'an image mixes digits and fashion items');
    for (const o of s.objects) {
      sources.add(o.source);
      assert.equal(o.label, loadMnist('train', o.source).labels[o.sourceIndex]! + (o.source === 'fashion' ? 10 : 0));
    }
  }
  assert.deepEqual([...sources].sort(), ['digits', 'fashion']);
  const plain = createDigitDetectionDataset({ numImages: 10, seed: 9 });
  const cluttered = createDigitDetectionDataset({ numImages: 10, seed: 9, clutter: 4 });
  const ink = (ds: typeof plain) => [...ds].reduce((n, s) => n + s.image.reduce((a, v) => a + (v > 0 ? 1 : 0), 0), 0);
  assert.ok(ink(cluttered) > ink(plain));
  const objects = (ds: typeof plain) => [...ds].reduce((n, s) => n + s.objects.length, 0);
  assert.ok(objects(cluttered) > 0);
});

test('a missing Fashion-MNIST folder is an error that says what to install', () => {
  const before = process.env[FASHION_MNIST_ENV];
  process.env[FASHION_MNIST_ENV] = '/nonexistent/fashion';
  try {
    assert.throws(() => loadMnist('train', 'fashion'), /dataset-fashion-mnist/);
  } finally {
    if (before === undefined) delete process.env[FASHION_MNIST_ENV];
    else process.env[FASHION_MNIST_ENV] = before;
  }
});

test('default config: small, medium and large each hold at least 20% of the objects', () => {
  for (const split of ['train', 'val'] as const) {
    const ds = createDigitDetectionDataset({ split });
    const counts = sizeBucketCounts(
      [...ds].flatMap((s) => s.objects),
      ds.areaThresholds,
    );
    for (const b of ['small', 'medium', 'large'] as const) {
      assert.ok(counts[b] >= 0.2 * counts.total, `${split} ${b}: ${counts[b]} of ${counts.total}`);
    }
  }
});

test('batches are NHWC copies of get(), shuffled deterministically per epoch', () => {
  const ds = createDigitDetectionDataset({ numImages: 10, canvasSize: 64, sideRange: [8, 32] });
  const batches = [...ds.batches(4)];
  assert.deepEqual(batches.map((b) => b.shape), [[4, 64, 64, 1], [4, 64, 64, 1], [2, 64, 64, 1]]);
  const b1 = batches[1]!;
  assert.deepEqual(b1.indices, [4, 5, 6, 7]);
  assert.deepEqual(b1.images.subarray(64 * 64, 2 * 64 * 64), ds.get(5).image);
  assert.deepEqual(b1.objects[1], ds.get(5).objects);
  assert.equal([...ds.batches(4, { dropLast: true })].length, 2);
  const order = (epoch: number): number[] => [...ds.batches(3, { shuffle: true, epoch })].flatMap((b) => [...b.indices]);
  assert.deepEqual(order(1), order(1));
  assert.notDeepEqual(order(1), order(2));
  assert.deepEqual([...order(1)].sort((a, b) => a - b), [...Array(10).keys()]);
});

test('configuration is validated', () => {
  assert.throws(() => createDigitDetectionDataset({ sideRange: [12, 200] }), RangeError);
  assert.throws(() => createDigitDetectionDataset({ digitsPerImage: [3, 2] }), RangeError);
  assert.throws(() => createDigitDetectionDataset({ numImages: 2 }).get(2), RangeError);
});
