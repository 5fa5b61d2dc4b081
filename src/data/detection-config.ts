// Configuration of the synthetic multi-scale digit detection data, with defaults sized for the
// NAS-FPN proxy (128 px canvas, objects spanning P3..P5-ish scales).
import type { AreaThresholds } from '../metrics/index.js';
import type { GlyphSource } from './mnist.js';

export type DetectionSplit = 'train' | 'val' | 'test';

export interface DigitDetectionConfig {
  /**
   * 'train' draws digits from MNIST train; 'val' from the first half of MNIST test and 'test' from the
   * second: the three never share a digit, so a search rewarded on 'val' never sees a 'test' glyph.
   */
  readonly split: DetectionSplit;
  readonly numImages: number;
  readonly seed: number;
  /** Square canvas side in px. */
  readonly canvasSize: number;
  /** Inclusive range of digits attempted per image. */
  readonly digitsPerImage: readonly [min: number, max: number];
  /** Longer side of a digit's ink box in px, drawn log-uniformly so every octave is equally common. */
  readonly sideRange: readonly [min: number, max: number];
  /** Largest IoU allowed between two pasted boxes. */
  readonly maxIou: number;
  /** Largest fraction of the smaller box another box may cover (IoU alone lets a small digit sit inside a big one). */
  readonly maxCoverage: number;
  /** Random positions tried per digit before it is dropped. */
  readonly placementAttempts: number;
  /** What the objects are: MNIST digits (10 classes), Fashion-MNIST items (10), or both (20 classes, fashion labels 10..19; each image is a scene of one source). */
  readonly glyphs: GlyphSource | 'both';
  /**
   * Unlabelled fragments per image (a random part of a random glyph, at a random scale), pasted
   * under the objects: background a detector must learn to reject.
   */
  readonly clutter: number;
  /** Every object of an image has the same class: small ones can be told by the large ones, given context. */
  readonly sharedLabel: boolean;
}

export const DEFAULT_DETECTION_CONFIG: DigitDetectionConfig = Object.freeze({
  split: 'train',
  numImages: 1000,
  seed: 0,
  canvasSize: 128,
  digitsPerImage: [2, 5] as const,
  sideRange: [12, 64] as const,
  maxIou: 0.1,
  maxCoverage: 0.3,
  placementAttempts: 50,
  glyphs: 'digits',
  clutter: 0,
  sharedLabel: false,
});

/** Classes of a glyph choice: 10 for one source, 20 for both. */
export const classesOf = (glyphs: DigitDetectionConfig['glyphs']): number => (glyphs === 'both' ? 20 : 10);

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const FASHION = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** Class names by label: digits, Fashion-MNIST's names, or both (digits first, as the labels are offset). */
export const classNames = (glyphs: DigitDetectionConfig['glyphs']): string[] => (glyphs === 'digits' ? DIGITS : glyphs === 'fashion' ? FASHION : [...DIGITS, ...FASHION]);

export function resolveDetectionConfig(partial: Partial<DigitDetectionConfig> = {}): DigitDetectionConfig {
  const c = { ...DEFAULT_DETECTION_CONFIG, ...partial };
  const posInt = (v: number): boolean => Number.isInteger(v) && v > 0;
  const fail = (msg: string): never => {
    throw new RangeError(`DigitDetectionConfig: ${msg}`);
  };
  if (c.split !== 'train' && c.split !== 'val' && c.split !== 'test') fail(`split must be 'train', 'val' or 'test', got ${String(c.split)}`);
  if (!Number.isInteger(c.numImages) || c.numImages < 0) fail(`numImages must be a non-negative integer`);
  if (!Number.isInteger(c.seed)) fail(`seed must be an integer`);
  if (!posInt(c.canvasSize)) fail(`canvasSize must be a positive integer`);
  const [dMin, dMax] = c.digitsPerImage;
  if (!(Number.isInteger(dMin) && Number.isInteger(dMax) && dMin >= 0 && dMax >= dMin)) fail(`bad digitsPerImage`);
  const [sMin, sMax] = c.sideRange;
  if (!(posInt(sMin) && posInt(sMax) && sMin >= 2 && sMax >= sMin && sMax <= c.canvasSize)) {
    fail(`sideRange must satisfy 2 <= min <= max <= canvasSize`);
  }
  if (!(c.maxIou >= 0 && c.maxIou <= 1 && c.maxCoverage >= 0 && c.maxCoverage <= 1)) fail(`maxIou/maxCoverage in [0, 1]`);
  if (!posInt(c.placementAttempts)) fail(`placementAttempts must be a positive integer`);
  if (!['digits', 'fashion', 'both'].includes(c.glyphs)) fail(`glyphs must be 'digits', 'fashion' or 'both', got ${String(c.glyphs)}`);
  if (!(Number.isInteger(c.clutter) && c.clutter >= 0)) fail(`clutter must be a non-negative integer`);
  return c;
}

/**
 * Mean ratio sqrt(area) / longer side of an MNIST ink box (measured on 5,000 training digits: 0.87;
 * narrow digits such as 1 pull it below 1).
 */
const SQRT_AREA_PER_SIDE = 0.87;

/**
 * Size buckets that split the log-uniform side range into thirds, so small, medium and large objects
 * are about equally common. Default config (sides 12..64): small < 333 px^2 (~18.2^2),
 * medium < 1016 px^2 (~31.9^2). COCO's own 32^2 / 96^2 would put almost nothing in `large` on 128 px.
 */
export function areaThresholdsForSides(sideRange: readonly [number, number]): AreaThresholds {
  const [lo, hi] = sideRange;
  const side = (k: number): number => lo * (hi / lo) ** (k / 3);
  const area = (k: number): number => Math.round((SQRT_AREA_PER_SIDE * side(k)) ** 2);
  return { small: area(1), medium: area(2) };
}
