import { DATA_SPLITS, type DatasetFactory, type DetectionData } from '../../core/dataset.js';
import { ConfigError, DataError } from '../../core/errors.js';
import type { EvaluationRequest, EvaluatorFactory, Metrics } from '../../core/evaluator.js';
import type { FidelitySpec } from '../../core/fidelity.js';
import { resolveOptions, type OptionSpecs, type OptionValues } from '../../core/options.js';
import { Registry } from '../../core/registry.js';
import { splitOf } from '../../data/detection-batches.js';
import { DETECTION_DATASETS } from '../../data/detection-datasets.js';
import { GLYPH_SCENE_OPTIONS, GLYPH_SCENES, glyphScenes } from '../../data/glyph-scenes.js';
import { openDataset, splitDatasetOptions } from '../../data/open-dataset.js';
import { DEFAULT_ANCHORS } from '../../tasks/detection/anchors.js';
import { Detector, detectorConfig, type DetectorConfig } from '../../tasks/detection/detector.js';
import type { JsonValue } from '../../core/json.js';
import { DETECTOR_KIND } from '../../tasks/detection/detector-io.js';
import { paramWeights } from '../../nn/param-weights.js';
import { trainAndCapture, type ExportableEvaluator, type TrainedModel } from '../../core/exportable.js';
import type { NasFpnGenotype } from '../../spaces/nasfpn/genotype.js';
import { isNasFpnSpace, type NasFpnSpace, type NasFpnSpaceConfig } from '../../spaces/nasfpn/space.js';
import { BACKEND_CHOICES, initBackend, type BackendChoice } from '../../tensor/index.js';
import { requestHooks, type TrainSchedule } from '../../train/trainer.js';
import { trainAndEvaluate, type DetectionSplits } from './train-detector.js';

/** How a child trains: with the data's options between them and the head's, these make its run key. */
const TRAIN_OPTIONS = {
  steps: { type: 'integer', default: 300, min: 1, help: 'training steps (batches) of the top fidelity: a plain evaluation trains this long' },
  minSteps: { type: 'integer', default: 0, min: 0, help: 'fewest steps a multi-fidelity scheduler may stop a child at (its lowest rung); 0: 100, or steps when fewer' },
  batchSize: { type: 'integer', default: 8, min: 1, help: 'images per step' },
  learningRate: { type: 'number', default: 0.01, min: 0, help: 'Adam learning rate (warm-up, then cosine decay over `steps`)' },
  warmupSteps: { type: 'integer', default: 20, min: 0, help: 'linear learning-rate warm-up steps' },
} as const satisfies OptionSpecs;

const HEAD_OPTIONS = {
  cellResidual: { type: 'boolean', default: false, help: 'residual merging cells: x + BN(conv(ReLU(x))) (the paper: BN(conv(ReLU(x))))' },
  anchorSize: { type: 'number', default: DEFAULT_ANCHORS.sizeFactor, min: 0.25, help: 'anchor side as a multiple of its level stride' },
  headConvs: { type: 'integer', default: 1, min: 0, help: '3x3 convs in each head subnet' },
  headNorm: { type: 'boolean', default: true, help: 'BatchNorm (per level) after the head convs' },
  headShared: { type: 'boolean', default: true, help: 'one head for every level (RetinaNet), or one per level' },
} as const satisfies OptionSpecs;

/** The detection proxy's own options (the dataset's come beside them). */
const OWN_OPTIONS = {
  dataset: { type: 'string', default: GLYPH_SCENES, help: `detection dataset (tsnas components lists them; a plugin adds more): ${GLYPH_SCENES} (synthetic, the default) or coco (your images); its options are given as KEY=VALUE or data.KEY=VALUE` },
  ...TRAIN_OPTIONS,
  ...HEAD_OPTIONS,
  channels: { type: 'integer', default: 0, min: 0, help: "feature channels of every pyramid node (0: the space's deprecated channels option, 32 by default)" },
  repeats: { type: 'integer', default: 0, min: 0, help: "times the pyramid is stacked (0: the space's deprecated repeats option, 2 by default)" },
  backend: { type: 'string', default: 'auto', choices: BACKEND_CHOICES, help: 'tensor backend' },
} as const satisfies OptionSpecs;

/** What `tsnas components` lists: the own options and, in their old place, the default dataset's. */
const OPTIONS = { dataset: OWN_OPTIONS.dataset, ...TRAIN_OPTIONS, ...GLYPH_SCENE_OPTIONS, ...HEAD_OPTIONS, channels: OWN_OPTIONS.channels, repeats: OWN_OPTIONS.repeats, backend: OWN_OPTIONS.backend } as const satisfies OptionSpecs;

type Options = OptionValues<typeof OWN_OPTIONS>;

export const DETECTION_METRICS = [
  'ap', 'ap50', 'ap75', 'apS', 'apM', 'apL', 'test_ap', 'test_ap50', 'loss', 'params', 'flops', 'neckFlops',
  'steps', 'stepsRun', 'trainSeconds', 'evalSeconds', 'imagesPerSecond',
] as const;

/** What the detector must agree on with the data: its canvas side and class count. */
function shapeOf(data: DetectionData): { imageSize: number; classes: number } {
  return { imageSize: data.shape[0], classes: data.classNames.length };
}

/** The model shape the default (synthetic) data gives under these evaluator options (raw or resolved). */
export function dataShape(options: Readonly<Record<string, unknown>>): { imageSize: number; classes: number } {
  const given = Object.fromEntries(Object.keys(GLYPH_SCENE_OPTIONS).filter((k) => options[k] !== undefined).map((k) => [k, options[k]]));
  return shapeOf(glyphScenes(resolveOptions('dataset', GLYPH_SCENE_OPTIONS, given)));
}

/**
 * The model's pyramid: the space's decisions with this evaluator's channels and repeats, which shape
 * the model and not the decisions (the space's own options of those names are their deprecated place).
 */
export function pyramidOf(space: NasFpnSpace, o: Pick<Options, 'channels' | 'repeats'>): NasFpnSpaceConfig {
  return { ...space.config, channels: o.channels || space.config.channels, repeats: o.repeats || space.config.repeats };
}

/** The detector reads square gray images whose side its coarsest level divides. */
function checkData(name: string, data: DetectionData, pyramid: NasFpnSpaceConfig): void {
  const [h, w, c] = data.shape;
  const stride = 2 ** pyramid.maxLevel;
  if (h !== w || c !== 1) throw new DataError(`dataset '${name}' gives ${h}x${w}x${c} images; the detector reads square gray ones (HxHx1)`);
  if (h % stride !== 0) throw new DataError(`dataset '${name}' gives ${h} px images; the pyramid's P${pyramid.maxLevel} needs a side divisible by ${stride}`);
  if (data.classNames.length < 1) throw new DataError(`dataset '${name}' names no classes`);
  for (const split of DATA_SPLITS) if (data.size(split) < 1) throw new DataError(`dataset '${name}' has no ${split} images`);
}

/** Evaluator options that are the dataset's: `data.KEY`, and a KEY the dataset declares that is not the evaluator's own. */
function routeOptions(options: Readonly<Record<string, unknown>>, dataset: DatasetFactory): { own: Record<string, unknown>; data: Record<string, unknown> } {
  const { own: rest, data } = splitDatasetOptions(options);
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key in OWN_OPTIONS) own[key] = value;
    else if (key in dataset.options) data[key] = value;
    else {
      const datasetTakes = `dataset '${dataset.name}' takes ${Object.keys(dataset.options).join(', ') || 'none'}`;
      if (key in GLYPH_SCENE_OPTIONS) throw new ConfigError(`evaluator.${key}`, `is an option of the ${GLYPH_SCENES} dataset; ${datasetTakes}`);
      throw new ConfigError(`evaluator.${key}`, `unknown option; known: ${Object.keys(OWN_OPTIONS).join(', ')}; ${datasetTakes}`);
    }
  }
  return { own, data };
}

/**
 * The NAS-FPN proxy task: train a RetinaNet-style detector with the genotype's pyramid from scratch on
 * a detection dataset (synthetic multi-scale glyphs by default); the reward is COCO-style AP on the
 * validation split, and the test split's AP is reported. Multi-fidelity: the resource is training
 * steps; a rung continues the run saved by the rung below it.
 */
export class DetectionProxyEvaluator implements ExportableEvaluator<NasFpnGenotype> {
  readonly metrics = DETECTION_METRICS;
  readonly primaryMetric = 'ap';
  readonly reportMetric = 'test_ap';
  readonly fidelity: FidelitySpec;
  private backendReady: Promise<unknown> | undefined;
  private readonly pyramid: NasFpnSpaceConfig;
  private readonly splits: DetectionSplits;

  /** `dataOptions`: the dataset's options, resolved (they identify the data in a run's key). */
  constructor(
    private readonly space: NasFpnSpace,
    private readonly o: Options,
    readonly data: DetectionData,
    private readonly dataOptions: Readonly<Record<string, unknown>>,
  ) {
    if (o.minSteps > o.steps) throw new ConfigError('evaluator.minSteps', `must be <= steps (${o.steps}), got ${o.minSteps}`);
    this.pyramid = pyramidOf(space, o);
    checkData(o.dataset, data, this.pyramid);
    this.splits = { train: splitOf(data, 'train'), val: splitOf(data, 'val'), test: splitOf(data, 'test') };
    this.fidelity = { unit: 'steps', min: o.minSteps || Math.min(100, o.steps), max: o.steps };
  }

  /** The detector every child of this evaluator is: the space's pyramid with the options' head and anchors, shaped by the data. */
  detectorConfig(): DetectorConfig {
    const o = this.o;
    return detectorConfig(this.pyramid, {
      ...shapeOf(this.data),
      headConvs: o.headConvs,
      headNorm: o.headNorm,
      headShared: o.headShared,
      anchors: { ...DEFAULT_ANCHORS, sizeFactor: o.anchorSize },
      cellResidual: o.cellResidual,
    });
  }

  /**
   * What a child's training is made of, for its run key: the training options, the data's, the head's.
   * The default data's options sit flat where they were before datasets were plugins, so a stored
   * search's saved rungs still continue.
   */
  recipe(): Record<string, unknown> {
    const pick = (specs: OptionSpecs) => Object.fromEntries(Object.keys(specs).map((k) => [k, this.o[k as keyof Options]]));
    const data = this.o.dataset === GLYPH_SCENES ? this.dataOptions : { dataset: this.o.dataset, data: this.dataOptions };
    return { ...pick(TRAIN_OPTIONS), ...data, ...pick(HEAD_OPTIONS) };
  }

  /** As `evaluate`, and hands over the trained detector (for `tsnas export`). */
  async train(request: EvaluationRequest<NasFpnGenotype>): Promise<{ metrics: Metrics; model: TrainedModel }> {
    return trainAndCapture<Detector>(
      (onTrained) => this.evaluate(request, onTrained),
      (det) => ({ kind: DETECTOR_KIND, config: det.config as unknown as JsonValue, data: { shape: this.data.shape, classes: this.data.classNames }, weights: paramWeights(det.params) }),
    );
  }

  async evaluate(request: EvaluationRequest<NasFpnGenotype>, onTrained?: (det: Detector) => void): Promise<Metrics> {
    this.backendReady ??= initBackend(this.o.backend as BackendChoice);
    await this.backendReady;
    const genotype = this.space.validate(request.genotype);
    const o = this.o;
    const schedule: TrainSchedule = { totalSteps: o.steps, batchSize: o.batchSize, learningRate: o.learningRate, warmupSteps: o.warmupSteps };
    const toStep = Math.min(o.steps, Math.max(1, Math.round(request.fidelity?.resource ?? o.steps)));
    return trainAndEvaluate({
      genotype,
      config: this.detectorConfig(),
      data: this.splits,
      schedule,
      seed: request.seed,
      toStep,
      runKey: JSON.stringify([request.key, request.seed, this.recipe(), this.pyramid]),
      ...requestHooks(request),
      ...(onTrained ? { onTrained } : {}),
    });
  }
}

/** The evaluator's factory over a dataset registry (looked up when a run creates it, so plugins' datasets count). */
export function detectionProxyFactoryOver(datasets: Registry<DatasetFactory>): EvaluatorFactory {
  return {
    name: 'detection-proxy',
    description: `trains a RetinaNet-style detector with the pyramid on a detection dataset (${GLYPH_SCENES}: synthetic multi-scale glyphs, the default; coco: your images; plugins); reward = COCO AP (validation), test_ap reported`,
    spaces: ['nasfpn'],
    options: OPTIONS,
    async create(options, space) {
      if (!isNasFpnSpace(space)) throw new ConfigError('evaluator', 'detection-proxy needs the nasfpn space');
      const name = resolveOptions('evaluator', { dataset: OWN_OPTIONS.dataset }, { dataset: options.dataset }).dataset;
      const factory = datasets.get(name);
      const { own, data } = routeOptions(options, factory);
      const o = resolveOptions('evaluator', OWN_OPTIONS, own);
      const dataOptions = resolveOptions('dataset', factory.options, data);
      return new DetectionProxyEvaluator(space, o, await openDataset(datasets, 'detection', name, dataOptions), dataOptions);
    },
  };
}

const builtins = new Registry<DatasetFactory>('dataset');
for (const d of DETECTION_DATASETS) builtins.add(d);

/** The factory over the built-in detection datasets alone (the wiring registers one over its registry, which plugins extend). */
export const detectionProxyFactory: EvaluatorFactory = detectionProxyFactoryOver(builtins);
