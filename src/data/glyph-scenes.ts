// The synthetic multi-scale glyph scenes as a registered detection dataset: the NAS-FPN proxy's
// default data, made from a seed (no files), its three splits drawn from disjoint MNIST glyphs.
import type { DataSplit, DatasetFactory, DetectionData, LabelledBox } from '../core/dataset.js';
import { ConfigError } from '../core/errors.js';
import { resolveOptions, type OptionSpecs, type OptionValues } from '../core/options.js';
import { classNames, type DigitDetectionConfig } from './detection-config.js';
import { DigitDetectionDataset } from './detection-dataset.js';

export const GLYPH_SCENES = 'glyph-scenes';

/** The scenes' canvas side: the proxy's 128 px, on which the side range spans P3..P5-ish scales. */
export const GLYPH_CANVAS = 128;

export const GLYPH_SCENE_OPTIONS = {
  trainImages: { type: 'integer', default: 2048, min: 1, help: 'synthetic training images (cycled)' },
  valImages: { type: 'integer', default: 256, min: 1, help: 'validation images: their AP is the reward' },
  testImages: { type: 'integer', default: 512, min: 1, help: 'test images: their AP (test_ap) is what comparisons report; no reward uses it unless told to' },
  dataSeed: { type: 'integer', default: 0, min: 0, help: 'seed of the synthetic data (the same for every child)' },
  glyphs: { type: 'string', default: 'digits', choices: ['digits', 'fashion', 'both'], help: 'objects: MNIST digits, Fashion-MNIST items (Debian dataset-fashion-mnist), or both (20 classes; an image is a scene of one)' },
  minSide: { type: 'integer', default: 12, min: 2, help: 'smallest object side in px (log-uniform sizes)' },
  maxSide: { type: 'integer', default: 64, min: 2, help: 'largest object side in px' },
  minObjects: { type: 'integer', default: 2, min: 0, help: 'fewest objects attempted per image' },
  maxObjects: { type: 'integer', default: 5, min: 0, help: 'most objects attempted per image' },
  clutter: { type: 'integer', default: 0, min: 0, help: 'unlabelled glyph fragments per image (background to reject)' },
  sharedLabel: { type: 'boolean', default: false, help: 'all objects of an image have one class (context the large ones give the small ones)' },
} as const satisfies OptionSpecs;

export type GlyphSceneOptions = OptionValues<typeof GLYPH_SCENE_OPTIONS>;

/** The three splits' generators; the seeds and sizes are those the proxy has always used. */
class GlyphScenes implements DetectionData {
  readonly kind = 'detection';
  readonly shape = [GLYPH_CANVAS, GLYPH_CANVAS, 1] as const;
  readonly classNames: readonly string[];
  readonly areaThresholds: { small: number; medium: number };
  readonly orderSeed: number;
  private readonly splits: Record<DataSplit, DigitDetectionDataset>;

  constructor(o: GlyphSceneOptions) {
    const glyphs = o.glyphs as DigitDetectionConfig['glyphs'];
    const base = { canvasSize: GLYPH_CANVAS, glyphs, sideRange: [o.minSide, o.maxSide], digitsPerImage: [o.minObjects, o.maxObjects], clutter: o.clutter, sharedLabel: o.sharedLabel } as const;
    this.splits = {
      train: new DigitDetectionDataset({ ...base, split: 'train', numImages: o.trainImages, seed: o.dataSeed }),
      val: new DigitDetectionDataset({ ...base, split: 'val', numImages: o.valImages, seed: o.dataSeed + 1 }),
      test: new DigitDetectionDataset({ ...base, split: 'test', numImages: o.testImages, seed: o.dataSeed + 2 }),
    };
    this.classNames = classNames(glyphs);
    this.areaThresholds = this.splits.train.areaThresholds;
    this.orderSeed = o.dataSeed;
  }

  size(split: DataSplit): number {
    return this.splits[split].length;
  }

  read(split: DataSplit, index: number, out: Float32Array, offset: number): readonly LabelledBox[] {
    const s = this.splits[split].get(index);
    out.set(s.image, offset);
    return s.objects;
  }
}

/** The scenes of resolved options, checked: the side range must fit the canvas, the object counts be ordered. */
export function glyphScenes(o: GlyphSceneOptions): DetectionData {
  if (o.minSide > o.maxSide) throw new ConfigError('dataset.minSide', `must be <= maxSide (${o.maxSide}), got ${o.minSide}`);
  if (o.maxSide > GLYPH_CANVAS) throw new ConfigError('dataset.maxSide', `must fit the ${GLYPH_CANVAS} px canvas, got ${o.maxSide}`);
  if (o.minObjects > o.maxObjects) throw new ConfigError('dataset.minObjects', `must be <= maxObjects (${o.maxObjects}), got ${o.minObjects}`);
  return new GlyphScenes(o);
}

export const glyphScenesDatasetFactory: DatasetFactory = {
  name: GLYPH_SCENES,
  description: `synthetic detection scenes: MNIST (or Fashion-MNIST) glyphs pasted at 12-64 px on ${GLYPH_CANVAS} px gray canvases, made from a seed; detection-proxy's default`,
  kind: 'detection',
  options: GLYPH_SCENE_OPTIONS,
  create: (options) => glyphScenes(resolveOptions('dataset', GLYPH_SCENE_OPTIONS, options)),
};
