import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inkBounds, loadMnist, mnistImage, resizeBilinear, scaledDigit } from '../../src/data/index.js';

test('same size is the identity, constants stay constant', () => {
  const src = Float32Array.from([0, 0.25, 0.5, 1, 0.75, 0]);
  assert.deepEqual(resizeBilinear(src, 3, 2, 3, 2), src);
  assert.ok(resizeBilinear(new Float32Array(12).fill(0.5), 4, 3, 9, 7).every((v) => v === 0.5));
});

test('2x upsampling with half-pixel centres interpolates at 1/4 and 3/4', () => {
  // 1-D row [0, 1] -> output centres map to source x = -0.25 (clamped 0), 0.25, 0.75, 1.25 (clamped 1).
  assert.deepEqual([...resizeBilinear([0, 1], 2, 1, 4, 1)], [0, 0.25, 0.75, 1]);
});

test('scaledDigit has the requested longer side and ink touching every edge', () => {
  const m = loadMnist('test');
  for (const side of [12, 25, 64]) {
    for (let i = 0; i < 20; i++) {
      const p = scaledDigit(mnistImage(m, i), 28, 28, side);
      assert.ok(Math.max(p.width, p.height) <= side && Math.max(p.width, p.height) >= side - 1);
      assert.deepEqual(inkBounds(p.pixels, p.width, p.height), { x0: 0, y0: 0, x1: p.width, y1: p.height });
      assert.ok(p.pixels.every((v) => v >= 0 && v <= 1));
    }
  }
});
