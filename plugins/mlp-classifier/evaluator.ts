import { classificationBatches, openDataset, splitDatasetOptions, type ClassificationData, type DatasetFactory } from 'tsnas/data';
import { ConfigError, resolveOptions, type EvaluationRequest, type Evaluator, type EvaluatorFactory, type FidelitySpec, type Metrics, type OptionSpecs, type OptionValues, type Registry } from 'tsnas/evaluator';
import { splitAccuracy } from 'tsnas/metrics';
import { BACKEND_CHOICES, initBackend, type BackendChoice } from 'tsnas/tensor';
import { requestHooks, runCostMetrics, runTraining, type TrainSchedule } from 'tsnas/train';
import { Mlp } from './model.js';
import type { MlpGenotype } from './space.js';
import { mlpSpaceFactory } from './space.js';

const OPTIONS = {
  dataset: { type: 'string', default: 'mnist', help: 'classification dataset (tsnas components lists them); its own options as data.KEY=VALUE' },
  steps: { type: 'integer', default: 300, min: 1, help: 'training steps (batches) of the top fidelity' },
  batchSize: { type: 'integer', default: 64, min: 1, help: 'images per step' },
  warmupSteps: { type: 'integer', default: 10, min: 0, help: 'linear learning-rate warm-up steps' },
  trainImages: { type: 'integer', default: 0, min: 0, help: 'training images used (the first of the split; 0: all)' },
  valImages: { type: 'integer', default: 1000, min: 0, help: 'validation images whose accuracy is the reward (0: all)' },
  testImages: { type: 'integer', default: 1000, min: 0, help: 'test images whose accuracy (test_acc) is reported (0: all)' },
  backend: { type: 'string', default: 'auto', choices: BACKEND_CHOICES, help: 'tensor backend' },
} as const satisfies OptionSpecs;

type Options = OptionValues<typeof OPTIONS>;

/** Cross-entropy far above ln(classes) means the run has blown up. */
const EXPLODED = 1e3;

/**
 * Trains the MLP a genotype describes on a registered dataset; reward = validation accuracy (%),
 * test accuracy reported. Multi-fidelity in steps: a rung continues the state the rung below saved.
 */
class MlpEvaluator implements Evaluator<MlpGenotype> {
  readonly metrics = ['val_acc', 'test_acc', 'loss', 'params', 'flops', 'steps', 'stepsRun', 'trainSeconds', 'evalSeconds', 'imagesPerSecond'];
  readonly primaryMetric = 'val_acc';
  readonly reportMetric = 'test_acc';
  readonly fidelity: FidelitySpec;
  private backend: Promise<unknown> | undefined;
  private readonly counts: { train: number; val: number; test: number };

  constructor(
    private readonly o: Options,
    private readonly data: ClassificationData,
    private readonly dataOptions: Record<string, unknown>,
  ) {
    this.fidelity = { unit: 'steps', min: Math.min(50, o.steps), max: o.steps };
    const pick = (n: number, split: 'train' | 'val' | 'test') => (n === 0 ? data.size(split) : Math.min(n, data.size(split)));
    this.counts = { train: pick(o.trainImages, 'train'), val: pick(o.valImages, 'val'), test: pick(o.testImages, 'test') };
    if (this.counts.train < o.batchSize) throw new ConfigError('evaluator.batchSize', `the training split has ${this.counts.train} images, fewer than one batch (${o.batchSize})`);
  }

  async evaluate(request: EvaluationRequest<MlpGenotype>): Promise<Metrics> {
    this.backend ??= initBackend(this.o.backend as BackendChoice);
    await this.backend;
    const { o, data, counts } = this;
    const g = request.genotype;
    const schedule: TrainSchedule = { totalSteps: o.steps, batchSize: o.batchSize, learningRate: g.learningRate, warmupSteps: o.warmupSteps };
    const toStep = Math.min(o.steps, Math.max(1, Math.round(request.fidelity?.resource ?? o.steps)));
    const net = new Mlp(g, data.classNames.length, request.seed);
    try {
      const size = net.size(data.shape);
      const run = await runTraining({
        params: net.params,
        schedule,
        toStep,
        // A saved rung continues only the same architecture, seed, recipe and data.
        runKey: JSON.stringify([request.key, request.seed, o, this.dataOptions]),
        perEpoch: Math.floor(counts.train / o.batchSize),
        epochBatches: (epoch, fromBatch) => classificationBatches(data, 'train', o.batchSize, { count: counts.train, shuffleSeed: request.seed * 1000 + epoch, dropLast: true, fromBatch }),
        step: (batch, optimizer) => net.trainStep(optimizer, batch),
        exploded: EXPLODED,
        ...requestHooks(request),
      });
      const evalStarted = performance.now();
      const predict = net.predict.bind(net);
      const val_acc = splitAccuracy(data, 'val', counts.val, predict);
      const test_acc = splitAccuracy(data, 'test', counts.test, predict);
      return { val_acc, test_acc, loss: run.loss, ...size, ...runCostMetrics(run, toStep, o.batchSize, (performance.now() - evalStarted) / 1000) };
    } finally {
      net.dispose();
    }
  }
}

/** The evaluator's factory; datasets are looked up when a run creates it, so a plugin's own datasets count. */
export function mlpEvaluatorFactory(datasets: Registry<DatasetFactory>): EvaluatorFactory {
  return {
    name: 'mlp-classifier',
    description: 'example plugin: trains the MLP of the mlp space on a classification dataset; reward = validation accuracy (%)',
    spaces: [mlpSpaceFactory.name],
    options: OPTIONS,
    async create(options) {
      const { own, data } = splitDatasetOptions(options);
      const o = resolveOptions('evaluator', OPTIONS, own);
      return new MlpEvaluator(o, await openDataset(datasets, 'classification', o.dataset, data), data);
    },
  };
}
