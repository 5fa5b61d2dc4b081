import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { createDigitDetectionDataset, renderWithBoxes, writeSampleImage } from '../../src/data/index.js';

test('renderWithBoxes outlines just outside the box and keeps the ink', () => {
  const img = new Float32Array(8 * 8);
  img[3 * 8 + 3] = 1;
  const out = renderWithBoxes(img, 8, 8, [[3, 3, 4, 4]]);
  assert.equal(out.data[3 * 8 + 3], 255);
  for (const [x, y] of [[2, 2], [4, 2], [2, 4], [4, 4], [3, 2]]) assert.equal(out.data[y! * 8 + x!], 128);
  assert.equal(out.data[0], 0);
});

test('writeSampleImage writes a valid PGM and PNG', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsnas-img-'));
  try {
    const s = createDigitDetectionDataset({ numImages: 1 }).get(0);
    writeSampleImage(join(dir, 'a.pgm'), s);
    const pgm = readFileSync(join(dir, 'a.pgm'));
    const header = 'P5\n128 128\n255\n';
    assert.equal(pgm.subarray(0, header.length).toString('ascii'), header);
    assert.equal(pgm.length, header.length + 128 * 128);

    writeSampleImage(join(dir, 'a.png'), s, 2);
    const png = readFileSync(join(dir, 'a.png'));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.readUInt32BE(16), 256); // IHDR width
    const idatLen = png.readUInt32BE(33);
    assert.equal(png.subarray(37, 41).toString('ascii'), 'IDAT');
    const raw = inflateSync(png.subarray(41, 41 + idatLen));
    assert.equal(raw.length, 257 * 256);
    // Same pixels as the PGM, magnified 2x (row 0 has a filter byte first).
    const pgmPixels = pgm.subarray(header.length);
    assert.equal(raw[1 + 2 * 10], pgmPixels[10]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
