import type { EvaluationRequest, Evaluator, Metrics } from './evaluator.js';
import type { JsonValue } from './json.js';

/** One trained variable, copied out of the backend (the network can be disposed afterwards). */
export interface NamedWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** What a network needs as input and what its outputs mean. */
export interface ModelData {
  /** One image: [height, width, channels], values in [0, 1]. */
  readonly shape: readonly [number, number, number];
  /** Class names, by label index. */
  readonly classes: readonly string[];
}

/** What an exported network is, and so which builder rebuilds it and what predict prints of it. */
export const MODEL_KINDS = ['detector', 'classifier'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** A trained network as an evaluator hands it over for export. */
export interface TrainedModel {
  readonly kind: ModelKind;
  /** Everything besides the genotype that fixes the network's shape (JSON). */
  readonly config: JsonValue;
  readonly data: ModelData;
  readonly weights: readonly NamedWeight[];
}

/**
 * An evaluator whose networks can be exported: evaluates like `evaluate` and also returns the trained
 * network, so an export's metrics are exactly those of the weights it writes.
 */
export interface ExportableEvaluator<G = unknown> extends Evaluator<G> {
  train(request: EvaluationRequest<G>): Promise<{ metrics: Metrics; model: TrainedModel }>;
}

export const isExportable = (e: Evaluator): e is ExportableEvaluator => typeof (e as Partial<ExportableEvaluator>).train === 'function';

/**
 * `ExportableEvaluator.train` of an evaluator whose `evaluate` calls back with the trained network
 * before disposing it: runs the evaluation and turns that network into what export writes.
 */
export async function trainAndCapture<N>(evaluate: (onTrained: (net: N) => void) => Promise<Metrics>, capture: (net: N) => TrainedModel): Promise<{ metrics: Metrics; model: TrainedModel }> {
  let model: TrainedModel | undefined;
  const metrics = await evaluate((net) => {
    model = capture(net);
  });
  if (!model) throw new Error('the evaluation handed over no trained network');
  return { metrics, model };
}
