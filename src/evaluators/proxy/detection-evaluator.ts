import { ConfigError } from '../../core/errors.js';
import type { EvaluationRequest, Evaluator, EvaluatorFactory, Metrics } from '../../core/evaluator.js';
import { resolveOptions, type OptionSpecs, type OptionValues } from '../../core/options.js';
import { createDigitDetectionDataset, type DigitDetectionDataset } from '../../data/index.js';
import { detectorConfig } from '../../model/detector.js';
import type { NasFpnGenotype } from '../../spaces/nasfpn/genotype.js';
import { NasFpnSpace } from '../../spaces/nasfpn/space.js';
import { initBackend, type BackendChoice } from '../../tensor/index.js';
import { trainAndEvaluate } from './train-detector.js';

const OPTIONS = {
  steps: { type: 'integer', default: 300, min: 1, help: 'training steps (batches) per child' },
  batchSize: { type: 'integer', default: 8, min: 1, help: 'images per step' },
  learningRate: { type: 'number', default: 0.01, min: 0, help: 'Adam learning rate (warm-up, then cosine decay)' },
  warmupSteps: { type: 'integer', default: 20, min: 0, help: 'linear learning-rate warm-up steps' },
  trainImages: { type: 'integer', default: 2048, min: 1, help: 'synthetic training images (cycled)' },
  valImages: { type: 'integer', default: 256, min: 1, help: 'validation images the AP is measured on' },
  dataSeed: { type: 'integer', default: 0, min: 0, help: 'seed of the synthetic data (the same for every child)' },
  headConvs: { type: 'integer', default: 1, min: 0, help: '3x3 convs in each head subnet' },
  headNorm: { type: 'boolean', default: true, help: 'BatchNorm (per level) after the head convs' },
  backend: { type: 'string', default: 'auto', choices: ['auto', 'tensorflow', 'wasm', 'cpu'], help: 'tensor backend' },
} as const satisfies OptionSpecs;

type Options = OptionValues<typeof OPTIONS>;

export const DETECTION_METRICS = ['ap', 'ap50', 'ap75', 'apS', 'apM', 'apL', 'loss', 'params', 'flops', 'neckFlops', 'trainSeconds', 'evalSeconds', 'imagesPerSecond'] as const;

/** Datasets by config, kept for the life of the process (a worker trains many children on the same data). */
const datasets = new Map<string, { train: DigitDetectionDataset; val: DigitDetectionDataset }>();

function dataFor(o: Options): { train: DigitDetectionDataset; val: DigitDetectionDataset } {
  const key = `${o.trainImages}/${o.valImages}/${o.dataSeed}`;
  let d = datasets.get(key);
  if (!d) {
    d = {
      train: createDigitDetectionDataset({ split: 'train', numImages: o.trainImages, seed: o.dataSeed }),
      val: createDigitDetectionDataset({ split: 'val', numImages: o.valImages, seed: o.dataSeed + 1 }),
    };
    datasets.set(key, d);
  }
  return d;
}

/**
 * The NAS-FPN proxy task: train a RetinaNet-style detector with the genotype's pyramid from scratch on
 * synthetic multi-scale digits for a fixed number of steps; report COCO-style AP on held-out images.
 */
export class DetectionProxyEvaluator implements Evaluator<NasFpnGenotype> {
  readonly metrics = DETECTION_METRICS;
  readonly primaryMetric = 'ap';
  private backendReady: Promise<unknown> | undefined;

  constructor(
    private readonly space: NasFpnSpace,
    private readonly o: Options,
  ) {}

  async evaluate(request: EvaluationRequest<NasFpnGenotype>): Promise<Metrics> {
    this.backendReady ??= initBackend(this.o.backend as BackendChoice);
    await this.backendReady;
    const genotype = this.space.validate(request.genotype);
    const config = detectorConfig(this.space.config, { headConvs: this.o.headConvs, headNorm: this.o.headNorm });
    const budget = { steps: this.o.steps, batchSize: this.o.batchSize, learningRate: this.o.learningRate, warmupSteps: this.o.warmupSteps };
    return trainAndEvaluate(genotype, config, dataFor(this.o), budget, request.seed, () => {
      if (request.signal?.aborted) throw new Error('trial cancelled');
    }).metrics;
  }
}

export const detectionProxyFactory: EvaluatorFactory = {
  name: 'detection-proxy',
  description: 'trains a RetinaNet-style detector with the pyramid on synthetic multi-scale MNIST digits; reward = COCO AP',
  spaces: ['nasfpn'],
  options: OPTIONS,
  create(options, space) {
    if (!(space instanceof NasFpnSpace)) throw new ConfigError('evaluator', 'detection-proxy needs the nasfpn space');
    return new DetectionProxyEvaluator(space, resolveOptions('evaluator', OPTIONS, options));
  },
};
