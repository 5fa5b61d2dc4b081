// One synthetic detection image: real MNIST digits pasted at random scales and places, with exact
// ink boxes. Each image has its own PRNG stream, so any index can be generated alone, in any order.
import { boxArea, boxIou, type Box, type GroundTruth } from '../metrics/index.js';
import type { DigitDetectionConfig } from './detection-config.js';
import { scaledDigit, type Patch } from './digit-patch.js';
import { loadMnist, mnistImage, type GlyphSource, type MnistSet, type MnistSplit } from './mnist.js';
import { hashSeed, Prng } from './prng.js';

export interface DigitObject extends GroundTruth {
  /** Index of the source glyph in its MNIST split (see `DetectionSample.sourceSplit`). */
  readonly sourceIndex: number;
  readonly source: GlyphSource;
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

export const SOURCE_SPLIT: Record<DigitDetectionConfig['split'], MnistSplit> = { train: 'train', val: 'test', test: 'test' };
/** The part of its MNIST split a detection split draws digits from, as fractions [from, to). */
const SOURCE_RANGE: Record<DigitDetectionConfig['split'], readonly [number, number]> = { train: [0, 1], val: [0, 0.5], test: [0.5, 1] };
const SPLIT_TAG = { train: 1, val: 2, test: 4 } as const;

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

/** A random part (40-80% of each side) of a glyph, rescaled: clutter that looks like objects up close. */
function fragment(set: MnistSet, index: number, side: number, rng: Prng, canvas: number): Patch {
  const whole = scaledDigit(mnistImage(set, index), set.cols, set.rows, Math.max(4, Math.round(side / 0.6)));
  const w = Math.min(canvas, Math.max(2, Math.round(whole.width * (0.4 + 0.4 * rng.next()))));
  const h = Math.min(canvas, Math.max(2, Math.round(whole.height * (0.4 + 0.4 * rng.next()))));
  const x0 = rng.int(0, whole.width - w);
  const y0 = rng.int(0, whole.height - h);
  const pixels = new Float32Array(w * h);
  for (let y = 0; y < h; y++) pixels.set(whole.pixels.subarray((y0 + y) * whole.width + x0, (y0 + y) * whole.width + x0 + w), y * w);
  return { width: w, height: h, pixels };
}

export function synthesizeSample(c: DigitDetectionConfig, index: number): DetectionSample {
  const sourceSplit = SOURCE_SPLIT[c.split];
  const sets: Record<GlyphSource, () => MnistSet> = { digits: () => loadMnist(sourceSplit, 'digits'), fashion: () => loadMnist(sourceSplit, 'fashion') };
  const rng = new Prng(hashSeed(c.seed, SPLIT_TAG[c.split], index));
  const size = c.canvasSize;
  const [sLo, sHi] = c.sideRange;
  const count = rng.int(c.digitsPerImage[0], c.digitsPerImage[1]);
  // With both sources, an image is a scene of one of them: its large objects tell which, which a
  // detector can use for the small ones (a few-pixel '1' and trousers look alike) if its pyramid
  // brings coarse context down to the fine levels.
  const scene: GlyphSource = c.glyphs === 'both' ? (rng.next() < 0.5 ? 'digits' : 'fashion') : c.glyphs;
  const sceneLabel = rng.int(0, 9);
  const pick = () => {
    const source = scene;
    const set = sets[source]();
    const [from, to] = SOURCE_RANGE[c.split].map((f) => Math.round(f * set.count)) as [number, number];
    let sourceIndex = rng.int(from, to - 1);
    // One class per image: draw until the glyph has it (a tenth of a split has each class).
    if (c.sharedLabel) while (set.labels[sourceIndex] !== sceneLabel) sourceIndex = rng.int(from, to - 1);
    return { source, set, sourceIndex, side: Math.round(sLo * (sHi / sLo) ** rng.next()) };
  };
  const wanted = Array.from({ length: count }, pick);
  // Largest first: big digits are the hard ones to fit, and dropping them would skew sizes small.
  wanted.sort((a, b) => b.side - a.side);

  const image = new Float32Array(size * size);
  for (let k = 0; k < c.clutter; k++) {
    const w = pick();
    const patch = fragment(w.set, w.sourceIndex, w.side, rng, size);
    paste(image, size, patch, rng.int(0, size - patch.width), rng.int(0, size - patch.height));
  }
  const objects: DigitObject[] = [];
  for (const w of wanted) {
    const mnist = w.set;
    const patch = scaledDigit(mnistImage(mnist, w.sourceIndex), mnist.cols, mnist.rows, w.side);
    for (let attempt = 0; attempt < c.placementAttempts; attempt++) {
      const x = rng.int(0, size - patch.width);
      const y = rng.int(0, size - patch.height);
      const box: Box = [x, y, x + patch.width, y + patch.height];
      if (!fits(box, objects.map((o) => o.box), c)) continue;
      paste(image, size, patch, x, y);
      const offset = c.glyphs === 'both' && w.source === 'fashion' ? 10 : 0;
      objects.push({ box, label: mnist.labels[w.sourceIndex]! + offset, sourceIndex: w.sourceIndex, source: w.source });
      break;
    }
  }
  return { index, height: size, width: size, image, objects, sourceSplit };
}
