import type { ClassificationData, DatasetFactory } from '../../core/dataset.js';
import { ConfigError } from '../../core/errors.js';
import type { EvaluationRequest, EvaluatorFactory, Metrics } from '../../core/evaluator.js';
import { trainAndCapture, type ExportableEvaluator, type TrainedModel } from '../../core/exportable.js';
import type { JsonValue } from '../../core/json.js';
import type { FidelitySpec } from '../../core/fidelity.js';
import { resolveOptions, type OptionSpecs, type OptionValues } from '../../core/options.js';
import type { Registry } from '../../core/registry.js';
import { CLASSIFIER_KIND } from '../../tasks/classification/classifier-io.js';
import type { NasNetClassifier, NasNetNetConfig } from '../../tasks/classification/nasnet-classifier.js';
import { paramWeights } from '../../nn/param-weights.js';
import type { NasNetGenotype } from '../../spaces/nasnet/genotype.js';
import { isNasNetSpace, type NasNetSpace } from '../../spaces/nasnet/space.js';
import { BACKEND_CHOICES, initBackend, type BackendChoice } from '../../tensor/index.js';
import { requestHooks, type TrainSchedule } from '../../train/trainer.js';
import { trainClassifier, type SplitCounts } from './train-classifier.js';
import { openDataset, splitDatasetOptions } from '../../data/open-dataset.js';

const OPTIONS = {
  dataset: { type: 'string', default: 'mnist', help: "classification dataset (tsnas components lists them; a plugin adds more); its own options are given as data.KEY=VALUE" },
  steps: { type: 'integer', default: 300, min: 1, help: 'training steps (batches) of the top fidelity' },
  minSteps: { type: 'integer', default: 0, min: 0, help: 'fewest steps a multi-fidelity scheduler may stop a child at; 0: 100, or steps when fewer' },
  batchSize: { type: 'integer', default: 32, min: 1, help: 'images per step' },
  learningRate: { type: 'number', default: 0.01, min: 0, help: 'Adam learning rate (warm-up, then cosine decay over steps)' },
  warmupSteps: { type: 'integer', default: 10, min: 0, help: 'linear learning-rate warm-up steps' },
  trainImages: { type: 'integer', default: 0, min: 0, help: 'training images used (the first of the split; 0: all)' },
  valImages: { type: 'integer', default: 1000, min: 0, help: 'validation images whose accuracy is the reward (0: all)' },
  testImages: { type: 'integer', default: 1000, min: 0, help: 'test images whose accuracy (test_acc) is reported (0: all)' },
  cells: { type: 'integer', default: 1, min: 1, help: 'normal cells per stage (the paper\'s N)' },
  filters: { type: 'integer', default: 8, min: 1, help: 'filters of the first stage (the paper\'s F), doubled by each reduction cell' },
  reductions: { type: 'integer', default: 2, min: 0, max: 4, help: 'reduction cells (stages - 1)' },
  stemMultiplier: { type: 'number', default: 2, min: 0.25, help: 'stem filters as a multiple of filters' },
  backend: { type: 'string', default: 'auto', choices: BACKEND_CHOICES, help: 'tensor backend' },
} as const satisfies OptionSpecs;

type Options = OptionValues<typeof OPTIONS>;

export const CLASSIFICATION_METRICS = ['val_acc', 'test_acc', 'loss', 'params', 'flops', 'steps', 'stepsRun', 'trainSeconds', 'evalSeconds', 'imagesPerSecond'] as const;

/**
 * The NASNet proxy task: train the classifier the genotype's cells make from scratch on a dataset for
 * a fixed budget of steps; reward = validation accuracy, test accuracy reported (as NAS-Bench-201
 * does). Multi-fidelity: the resource is steps, a rung continuing the state of the rung below.
 */
export class ClassificationProxyEvaluator implements ExportableEvaluator<NasNetGenotype> {
  readonly metrics = CLASSIFICATION_METRICS;
  readonly primaryMetric = 'val_acc';
  readonly reportMetric = 'test_acc';
  readonly fidelity: FidelitySpec;
  private backendReady: Promise<unknown> | undefined;

  constructor(
    private readonly space: NasNetSpace,
    private readonly o: Options,
    readonly data: ClassificationData,
    private readonly dataOptions: Record<string, unknown>,
  ) {
    if (o.minSteps > o.steps) throw new ConfigError('evaluator.minSteps', `must be <= steps (${o.steps}), got ${o.minSteps}`);
    this.fidelity = { unit: 'steps', min: o.minSteps || Math.min(100, o.steps), max: o.steps };
  }

  /** The network around the cells: its input shape and classes come from the dataset. */
  netConfig(): NasNetNetConfig {
    const o = this.o;
    return { imageShape: this.data.shape, classes: this.data.classNames.length, cellsPerStage: o.cells, filters: o.filters, reductions: o.reductions, stemMultiplier: o.stemMultiplier };
  }

  counts(): SplitCounts {
    const pick = (n: number, split: 'train' | 'val' | 'test') => (n === 0 ? this.data.size(split) : Math.min(n, this.data.size(split)));
    return { train: pick(this.o.trainImages, 'train'), val: pick(this.o.valImages, 'val'), test: pick(this.o.testImages, 'test') };
  }

  /** As `evaluate`, and hands over the trained classifier (for `tsnas export`). */
  async train(request: EvaluationRequest<NasNetGenotype>): Promise<{ metrics: Metrics; model: TrainedModel }> {
    return trainAndCapture<NasNetClassifier>(
      (onTrained) => this.evaluate(request, onTrained),
      (net) => ({ kind: CLASSIFIER_KIND, config: net.config as unknown as JsonValue, data: { shape: this.data.shape, classes: this.data.classNames }, weights: paramWeights(net.params) }),
    );
  }

  async evaluate(request: EvaluationRequest<NasNetGenotype>, onTrained?: (net: NasNetClassifier) => void): Promise<Metrics> {
    this.backendReady ??= initBackend(this.o.backend as BackendChoice);
    await this.backendReady;
    const o = this.o;
    const schedule: TrainSchedule = { totalSteps: o.steps, batchSize: o.batchSize, learningRate: o.learningRate, warmupSteps: o.warmupSteps };
    const toStep = Math.min(o.steps, Math.max(1, Math.round(request.fidelity?.resource ?? o.steps)));
    const { backend: _backend, ...recipe } = o;
    return trainClassifier({
      genotype: this.space.validate(request.genotype),
      config: this.netConfig(),
      data: this.data,
      counts: this.counts(),
      schedule,
      seed: request.seed,
      toStep,
      runKey: JSON.stringify([request.key, request.seed, recipe, this.dataOptions]),
      ...requestHooks(request),
      ...(onTrained ? { onTrained } : {}),
    });
  }
}

/** The evaluator's factory over a dataset registry (looked up when a run creates it, so plugins' datasets count). */
export function classificationProxyFactory(datasetRegistry: Registry<DatasetFactory>): EvaluatorFactory {
  return {
    name: 'classification-proxy',
    description: 'trains a NASNet classifier of the cells on a dataset (mnist, fashion-mnist, plugins); reward = validation accuracy (%), test_acc reported',
    spaces: ['nasnet'],
    options: OPTIONS,
    async create(options, space) {
      if (!isNasNetSpace(space)) throw new ConfigError('evaluator', 'classification-proxy needs the nasnet space');
      const { own, data } = splitDatasetOptions(options);
      const o = resolveOptions('evaluator', OPTIONS, own);
      return new ClassificationProxyEvaluator(space, o, await openDataset(datasetRegistry, 'classification', o.dataset, data), data);
    },
  };
}
