// One synthetic detection image: real MNIST digits pasted at random scales and places, with exact
// ink boxes. Each image has its own PRNG stream, so any index can be generated alone, in any order.
import { boxArea, boxIou, type Box, type GroundTruth } from '../metrics/index.js';
import type { DigitDetectionConfig } from './detection-config.js';
import { scaledDigit, type Patch } from './digit-patch.js';
import { loadMnist, mnistImage, type MnistSplit } from './mnist.js';
import { hashSeed, Prng } from './prng.js';

export interface DigitObject extends GroundTruth {
  /** Index of the source digit in its MNIST split (see `DetectionSample.sourceSplit`). */
  readonly sourceIndex: number;
}

export interface DetectionSample {
  readonly index: number;
  readonly height: number;
  readonly width: number;
  /** Row-major grayscale canvas in [0, 1] (one channel, so it is also the NHWC slice). */
  readonly image: Float32Array;
  readonly objects: readonly DigitObject[];
  readonly sourceSplit: MnistSplit;
}

export const SOURCE_SPLIT: Record<DigitDetectionConfig['split'], MnistSplit> = { train: 'train', val: 'test' };
const SPLIT_TAG = { train: 1, val: 2 } as const;

function intersection(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  return w > 0 && h > 0 ? w * h : 0;
}

function fits(box: Box, placed: readonly Box[], c: DigitDetectionConfig): boolean {
  return placed.every((p) => {
    const cover = intersection(box, p) / Math.min(boxArea(box), boxArea(p));
    return cover <= c.maxCoverage && boxIou(box, p) <= c.maxIou;
  });
}

/** Paste by max so touching strokes stay visible rather than summing past 1. */
function paste(canvas: Float32Array, canvasWidth: number, patch: Patch, x: number, y: number): void {
  for (let r = 0; r < patch.height; r++) {
    const row = (y + r) * canvasWidth + x;
    for (let col = 0; col < patch.width; col++) {
      const v = Math.min(1, patch.pixels[r * patch.width + col]!);
      if (v > canvas[row + col]!) canvas[row + col] = v;
    }
  }
}

export function synthesizeSample(c: DigitDetectionConfig, index: number): DetectionSample {
  const sourceSplit = SOURCE_SPLIT[c.split];
  const mnist = loadMnist(sourceSplit);
  const rng = new Prng(hashSeed(c.seed, SPLIT_TAG[c.split], index));
  const size = c.canvasSize;
  const [sLo, sHi] = c.sideRange;
  const count = rng.int(c.digitsPerImage[0], c.digitsPerImage[1]);
  const wanted = Array.from({ length: count }, () => ({
    sourceIndex: rng.int(0, mnist.count - 1),
    side: Math.round(sLo * (sHi / sLo) ** rng.next()),
  }));
  // Largest first: big digits are the hard ones to fit, and dropping them would skew sizes small.
  wanted.sort((a, b) => b.side - a.side);

  const image = new Float32Array(size * size);
  const objects: DigitObject[] = [];
  for (const w of wanted) {
    const patch = scaledDigit(mnistImage(mnist, w.sourceIndex), mnist.cols, mnist.rows, w.side);
    for (let attempt = 0; attempt < c.placementAttempts; attempt++) {
      const x = rng.int(0, size - patch.width);
      const y = rng.int(0, size - patch.height);
      const box: Box = [x, y, x + patch.width, y + patch.height];
      if (!fits(box, objects.map((o) => o.box), c)) continue;
      paste(image, size, patch, x, y);
      objects.push({ box, label: mnist.labels[w.sourceIndex]!, sourceIndex: w.sourceIndex });
      break;
    }
  }
  return { index, height: size, width: size, image, objects, sourceSplit };
}
