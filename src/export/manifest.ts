import type { JsonValue } from '../core/json.js';
import type { ModelData, ModelKind } from '../core/exportable.js';

/**
 * The `format` field of an exported model's model.json, and the version this tsnas reads and writes.
 * Version 1 has said its model kind (`modelTopology.kind`) from the first detector export on, so
 * classifiers are version 1 too: a detector folder exported before them loads unchanged.
 */
export const MODEL_FORMAT = 'tsnas-model';
export const MODEL_FORMAT_VERSION = 1;

/** TensorFlow.js's weights-manifest entry: shards read in order, then split by the weights' specs. */
export interface WeightsGroup {
  readonly paths: string[];
  readonly weights: { readonly name: string; readonly shape: number[]; readonly dtype: 'float32' }[];
}

/**
 * model.json, in the layout of TensorFlow.js's model artifacts (`format`, `generatedBy`,
 * `modelTopology`, `weightsManifest`, `userDefinedMetadata`), so tf.io's weight loaders read the
 * shards; the topology is tsnas's own: the space, the genotype and the network config.
 */
export interface ModelManifest {
  readonly format: typeof MODEL_FORMAT;
  readonly formatVersion: number;
  readonly generatedBy: string;
  readonly convertedBy: null;
  readonly modelTopology: {
    /** What the folder holds: which builder rebuilds it and what predict prints (boxes or top classes). */
    readonly kind: ModelKind;
    readonly space: { readonly name: string; readonly options: Readonly<Record<string, JsonValue>> };
    readonly genotype: JsonValue;
    readonly key: string;
    readonly config: JsonValue;
  };
  readonly weightsManifest: WeightsGroup[];
  readonly userDefinedMetadata: {
    readonly data: ModelData;
    /** Where the weights come from: experiment, trial, seed, evaluator and fidelity they were trained with. */
    readonly source: Readonly<Record<string, JsonValue>>;
    readonly plugins: readonly string[];
  };
}
