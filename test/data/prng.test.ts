import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashSeed, Prng } from '../../src/data/index.js';

const draw = (seed: number, n = 8): number[] => {
  const r = new Prng(seed);
  return Array.from({ length: n }, () => r.nextUint32());
};

test('same seed, same stream; different seeds, different streams', () => {
  assert.deepEqual(draw(7), draw(7));
  assert.notDeepEqual(draw(7), draw(8));
  assert.notDeepEqual(draw(0), draw(2 ** 32), 'high bits of the seed matter');
});

test('int and next stay in range and cover it', () => {
  const r = new Prng(1);
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const v = r.int(3, 7);
    assert.ok(v >= 3 && v <= 7);
    seen.add(v);
    const u = r.next();
    assert.ok(u >= 0 && u < 1);
  }
  assert.equal(seen.size, 5);
});

test('hashSeed separates its parts', () => {
  assert.equal(hashSeed(1, 2, 3), hashSeed(1, 2, 3));
  assert.notEqual(hashSeed(1, 2, 3), hashSeed(1, 3, 2));
  assert.notEqual(hashSeed(0, 1), hashSeed(0, 2));
  assert.throws(() => hashSeed(0.5));
});

test('shuffle is a seeded permutation', () => {
  const a = new Prng(5).shuffle([...Array(20).keys()]);
  assert.deepEqual(a, new Prng(5).shuffle([...Array(20).keys()]));
  assert.deepEqual([...a].sort((x, y) => x - y), [...Array(20).keys()]);
  assert.notDeepEqual(a, [...Array(20).keys()]);
});
