/**
 * Example third-party dataset plugin: synthetic gray images of four shapes (square outline, disc,
 * cross, bar) at seeded sizes and places. Written only against the public entry points, as an external
 * plugin is (tsnas/data, tsnas/evaluator). Train a NASNet child on it with:
 *
 *   tsnas train --plugin ./dist/plugins/shapes-dataset/index.js --space nasnet --genotype resnet-like \
 *     --evaluator-opt dataset=shapes --evaluator-opt data.side=16
 */
import type { ClassificationData, DataSplit, DatasetFactory } from 'tsnas/data';
import { resolveOptions, Rng, type OptionSpecs, type Registries } from 'tsnas/evaluator';

const OPTIONS = {
  side: { type: 'integer', default: 16, min: 8, max: 128, help: 'image side in pixels' },
  trainImages: { type: 'integer', default: 4000, min: 1, help: 'training images' },
  evalImages: { type: 'integer', default: 500, min: 1, help: 'validation images, and as many test images' },
  seed: { type: 'integer', default: 0, min: 0, help: 'seed of the images (each split its own stream)' },
} as const satisfies OptionSpecs;

const CLASSES = ['square', 'disc', 'cross', 'bar'] as const;
const SPLIT_SEED: Record<DataSplit, number> = { train: 1, val: 2, test: 3 };

/** Is pixel (x, y) ink for a shape of class `label` centred at (cx, cy) with half-size r? */
function ink(label: number, x: number, y: number, cx: number, cy: number, r: number): boolean {
  const dx = Math.abs(x - cx);
  const dy = Math.abs(y - cy);
  switch (CLASSES[label]) {
    case 'square':
      return Math.max(dx, dy) <= r && Math.max(dx, dy) > r - 1.5;
    case 'disc':
      return dx * dx + dy * dy <= r * r;
    case 'cross':
      return (dx <= 0.75 && dy <= r) || (dy <= 0.75 && dx <= r);
    default:
      return dy <= 1 && dx <= r;
  }
}

function shapes(o: { side: number; trainImages: number; evalImages: number; seed: number }): ClassificationData {
  return {
    kind: 'classification',
    shape: [o.side, o.side, 1],
    classNames: CLASSES,
    size: (split) => (split === 'train' ? o.trainImages : o.evalImages),
    read(split, index, out, offset) {
      // Each image is drawn from its own seed: any index of any split is read the same, in any order.
      const rng = Rng.fromSeed(o.seed * 1_000_003 + SPLIT_SEED[split] * 100_000_007 + index);
      const label = rng.int(CLASSES.length);
      const r = o.side * (0.15 + 0.2 * rng.next());
      const cx = r + 1 + rng.next() * (o.side - 2 * r - 2);
      const cy = r + 1 + rng.next() * (o.side - 2 * r - 2);
      for (let y = 0; y < o.side; y++) {
        for (let x = 0; x < o.side; x++) out[offset + y * o.side + x] = (ink(label, x, y, cx, cy, r) ? 0.8 : 0) + 0.2 * rng.next();
      }
      return label;
    },
  };
}

const shapesDataset: DatasetFactory = {
  name: 'shapes',
  description: 'example plugin: synthetic gray images of four shapes (square, disc, cross, bar)',
  kind: 'classification',
  options: OPTIONS,
  create: (options) => shapes(resolveOptions('dataset', OPTIONS, options)),
};

export function register(registries: Registries): void {
  registries.datasets.add(shapesDataset);
}
