import { ConfigError } from '../../core/errors.js';
import type { EvaluationRequest, EvaluatorFactory, Metrics } from '../../core/evaluator.js';
import type { FidelitySpec } from '../../core/fidelity.js';
import { resolveOptions, type OptionSpecs, type OptionValues } from '../../core/options.js';
import { classesOf, classNames, createDigitDetectionDataset, type DigitDetectionConfig } from '../../data/index.js';
import { DEFAULT_ANCHORS } from '../../model/anchors.js';
import { Detector, detectorConfig, type DetectorConfig } from '../../model/detector.js';
import type { JsonValue } from '../../core/json.js';
import { DETECTOR_KIND } from '../../model/detector-io.js';
import { paramWeights } from '../../model/param-weights.js';
import { trainAndCapture, type ExportableEvaluator, type TrainedModel } from '../../core/exportable.js';
import type { NasFpnGenotype } from '../../spaces/nasfpn/genotype.js';
import { isNasFpnSpace, type NasFpnSpace, type NasFpnSpaceConfig } from '../../spaces/nasfpn/space.js';
import { BACKEND_CHOICES, initBackend, type BackendChoice } from '../../tensor/index.js';
import { requestHooks } from '../../train/trainer.js';
import { trainAndEvaluate, type DetectionSplits, type TrainSchedule } from './train-detector.js';

const OPTIONS = {
  steps: { type: 'integer', default: 300, min: 1, help: 'training steps (batches) of the top fidelity: a plain evaluation trains this long' },
  minSteps: { type: 'integer', default: 0, min: 0, help: 'fewest steps a multi-fidelity scheduler may stop a child at (its lowest rung); 0: 100, or steps when fewer' },
  batchSize: { type: 'integer', default: 8, min: 1, help: 'images per step' },
  learningRate: { type: 'number', default: 0.01, min: 0, help: 'Adam learning rate (warm-up, then cosine decay over `steps`)' },
  warmupSteps: { type: 'integer', default: 20, min: 0, help: 'linear learning-rate warm-up steps' },
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
  cellResidual: { type: 'boolean', default: false, help: 'residual merging cells: x + BN(conv(ReLU(x))) (the paper: BN(conv(ReLU(x))))' },
  anchorSize: { type: 'number', default: DEFAULT_ANCHORS.sizeFactor, min: 0.25, help: 'anchor side as a multiple of its level stride' },
  headConvs: { type: 'integer', default: 1, min: 0, help: '3x3 convs in each head subnet' },
  headNorm: { type: 'boolean', default: true, help: 'BatchNorm (per level) after the head convs' },
  headShared: { type: 'boolean', default: true, help: 'one head for every level (RetinaNet), or one per level' },
  channels: { type: 'integer', default: 0, min: 0, help: "feature channels of every pyramid node (0: the space's deprecated channels option, 32 by default)" },
  repeats: { type: 'integer', default: 0, min: 0, help: "times the pyramid is stacked (0: the space's deprecated repeats option, 2 by default)" },
  backend: { type: 'string', default: 'auto', choices: BACKEND_CHOICES, help: 'tensor backend' },
} as const satisfies OptionSpecs;

type Options = OptionValues<typeof OPTIONS>;

export const DETECTION_METRICS = [
  'ap', 'ap50', 'ap75', 'apS', 'apM', 'apL', 'test_ap', 'test_ap50', 'loss', 'params', 'flops', 'neckFlops',
  'steps', 'stepsRun', 'trainSeconds', 'evalSeconds', 'imagesPerSecond',
] as const;

const CANVAS = 128;

function dataConfig(o: Options): Omit<DigitDetectionConfig, 'split' | 'numImages' | 'seed' | 'placementAttempts' | 'maxIou' | 'maxCoverage'> {
  return { canvasSize: CANVAS, glyphs: o.glyphs as DigitDetectionConfig['glyphs'], sideRange: [o.minSide, o.maxSide], digitsPerImage: [o.minObjects, o.maxObjects], clutter: o.clutter, sharedLabel: o.sharedLabel };
}

/** What the detector must agree on with the data, read off the config the datasets are made from. */
export function dataShape(o: Options): { imageSize: number; classes: number } {
  const d = dataConfig(o);
  return { imageSize: d.canvasSize, classes: classesOf(d.glyphs) };
}

/**
 * The model's pyramid: the space's decisions with this evaluator's channels and repeats, which shape
 * the model and not the decisions (the space's own options of those names are their deprecated place).
 */
export function pyramidOf(space: NasFpnSpace, o: Options): NasFpnSpaceConfig {
  return { ...space.config, channels: o.channels || space.config.channels, repeats: o.repeats || space.config.repeats };
}

/** Datasets by config, kept for the life of the process (a worker trains many children on the same data). */
const datasets = new Map<string, DetectionSplits>();

function dataFor(o: Options): DetectionSplits {
  const base = dataConfig(o);
  const key = JSON.stringify([base, o.trainImages, o.valImages, o.testImages, o.dataSeed]);
  let d = datasets.get(key);
  if (!d) {
    d = {
      train: createDigitDetectionDataset({ ...base, split: 'train', numImages: o.trainImages, seed: o.dataSeed }),
      val: createDigitDetectionDataset({ ...base, split: 'val', numImages: o.valImages, seed: o.dataSeed + 1 }),
      test: createDigitDetectionDataset({ ...base, split: 'test', numImages: o.testImages, seed: o.dataSeed + 2 }),
    };
    datasets.set(key, d);
  }
  return d;
}

function checkOptions(o: Options): void {
  if (o.minSteps > o.steps) throw new ConfigError('evaluator.minSteps', `must be <= steps (${o.steps}), got ${o.minSteps}`);
  if (o.minSide > o.maxSide) throw new ConfigError('evaluator.minSide', `must be <= maxSide (${o.maxSide}), got ${o.minSide}`);
  if (o.maxSide > CANVAS) throw new ConfigError('evaluator.maxSide', `must fit the ${CANVAS} px canvas, got ${o.maxSide}`);
  if (o.minObjects > o.maxObjects) throw new ConfigError('evaluator.minObjects', `must be <= maxObjects (${o.maxObjects}), got ${o.minObjects}`);
}

/**
 * The NAS-FPN proxy task: train a RetinaNet-style detector with the genotype's pyramid from scratch on
 * synthetic multi-scale glyphs; the reward is COCO-style AP on the validation split, and the test
 * split's AP is reported. Multi-fidelity: the resource is training steps; a rung continues the run
 * saved by the rung below it.
 */
export class DetectionProxyEvaluator implements ExportableEvaluator<NasFpnGenotype> {
  readonly metrics = DETECTION_METRICS;
  readonly primaryMetric = 'ap';
  readonly reportMetric = 'test_ap';
  readonly fidelity: FidelitySpec;
  private backendReady: Promise<unknown> | undefined;
  private readonly pyramid: NasFpnSpaceConfig;

  constructor(
    private readonly space: NasFpnSpace,
    private readonly o: Options,
  ) {
    checkOptions(o);
    this.pyramid = pyramidOf(space, o);
    this.fidelity = { unit: 'steps', min: o.minSteps || Math.min(100, o.steps), max: o.steps };
  }

  /** The detector every child of this evaluator is: the space's pyramid with the options' head and anchors. */
  detectorConfig(): DetectorConfig {
    const o = this.o;
    return detectorConfig(this.pyramid, {
      ...dataShape(o),
      headConvs: o.headConvs,
      headNorm: o.headNorm,
      headShared: o.headShared,
      anchors: { ...DEFAULT_ANCHORS, sizeFactor: o.anchorSize },
      cellResidual: o.cellResidual,
    });
  }

  /** As `evaluate`, and hands over the trained detector (for `tsnas export`). */
  async train(request: EvaluationRequest<NasFpnGenotype>): Promise<{ metrics: Metrics; model: TrainedModel }> {
    return trainAndCapture<Detector>(
      (onTrained) => this.evaluate(request, onTrained),
      (det) => ({ kind: DETECTOR_KIND, config: det.config as unknown as JsonValue, data: { shape: [CANVAS, CANVAS, 1], classes: classNames(this.o.glyphs as DigitDetectionConfig['glyphs']) }, weights: paramWeights(det.params) }),
    );
  }

  async evaluate(request: EvaluationRequest<NasFpnGenotype>, onTrained?: (det: Detector) => void): Promise<Metrics> {
    this.backendReady ??= initBackend(this.o.backend as BackendChoice);
    await this.backendReady;
    const genotype = this.space.validate(request.genotype);
    const o = this.o;
    const config = this.detectorConfig();
    const schedule: TrainSchedule = { totalSteps: o.steps, batchSize: o.batchSize, learningRate: o.learningRate, warmupSteps: o.warmupSteps };
    const toStep = Math.min(o.steps, Math.max(1, Math.round(request.fidelity?.resource ?? o.steps)));
    const { backend: _backend, channels: _channels, repeats: _repeats, ...recipe } = o;
    return trainAndEvaluate({
      genotype,
      config,
      data: dataFor(o),
      schedule,
      seed: request.seed,
      toStep,
      runKey: JSON.stringify([request.key, request.seed, recipe, this.pyramid]),
      ...requestHooks(request),
      ...(onTrained ? { onTrained } : {}),
    });
  }
}

export const detectionProxyFactory: EvaluatorFactory = {
  name: 'detection-proxy',
  description: 'trains a RetinaNet-style detector with the pyramid on synthetic multi-scale glyphs; reward = COCO AP (validation), test_ap reported',
  spaces: ['nasfpn'],
  options: OPTIONS,
  create(options, space) {
    if (!isNasFpnSpace(space)) throw new ConfigError('evaluator', 'detection-proxy needs the nasfpn space');
    return new DetectionProxyEvaluator(space, resolveOptions('evaluator', OPTIONS, options));
  },
};
