/**
 * The fixed NAS-FPN detector both throughput benchmarks train: the `nasfpn-paper` pyramid with the
 * default space (128x128 inputs), on one fixed batch of the project's synthetic digit data, Adam.
 * benchmarks/pytorch/train_throughput.py rebuilds it from the spec throughput-vs-pytorch.ts writes.
 */
import { createDigitDetectionDataset, type DetectionBatch } from '../../src/data/index.js';
import { Detector, detectorConfig, type DetectorConfig } from '../../src/tasks/detection/detector.js';
import { NAMED_PYRAMIDS } from '../../src/spaces/nasfpn/named.js';
import { DEFAULT_NASFPN_CONFIG } from '../../src/spaces/nasfpn/space.js';
import { adam, type FusedAdamOptimizer } from '../../src/tensor/index.js';

export const DETECTOR_GENOTYPE = 'nasfpn-paper';

export class ProxyDetector {
  readonly config: DetectorConfig = detectorConfig(DEFAULT_NASFPN_CONFIG);
  readonly detector: Detector;
  readonly batch: DetectionBatch;
  private readonly optimizer: FusedAdamOptimizer = adam(1e-3);

  constructor(readonly batchSize: number, seed = 1) {
    this.detector = new Detector(NAMED_PYRAMIDS[DETECTOR_GENOTYPE]!, this.config, seed);
    this.batch = createDigitDetectionDataset({ split: 'train', numImages: batchSize, seed: 0 }).batches(batchSize).next().value!;
  }

  /** One Adam step on the fixed batch; returns the loss. */
  step(): number {
    return this.detector.trainStep(this.optimizer, this.batch).loss;
  }

  /** step() reading its loss asynchronously (webgpu). */
  async stepAsync(): Promise<number> {
    return (await this.detector.trainStepAsync(this.optimizer, this.batch)).loss;
  }

  dispose(): void {
    this.optimizer.dispose();
    this.detector.dispose();
  }
}
