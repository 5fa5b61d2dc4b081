import type { ClassificationData, Dataset, DatasetFactory, DetectionData } from '../core/dataset.js';
import { ConfigError, DataError } from '../core/errors.js';
import type { Registry } from '../core/registry.js';

/** The prefix of an evaluator option that belongs to its dataset: `data.valImages=5000`. */
export const DATA_OPTION_PREFIX = 'data.';

/** An evaluator's options split into its own and its dataset's (`data.KEY`, without the prefix). */
export function splitDatasetOptions(options: Readonly<Record<string, unknown>>): { own: Record<string, unknown>; data: Record<string, unknown> } {
  const own: Record<string, unknown> = {};
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (key.startsWith(DATA_OPTION_PREFIX)) data[key.slice(DATA_OPTION_PREFIX.length)] = value;
    else own[key] = value;
  }
  return { own, data };
}

type DataOfKind<K extends Dataset['kind']> = K extends 'classification' ? ClassificationData : DetectionData;

/** Open datasets by name and options, for the life of the process: a pool worker evaluates many children on one. */
const opened = new Map<string, Promise<Dataset>>();

/**
 * The dataset `name` of `registry` (built-ins and plugins' alike) made with `options`, checked to be of
 * the evaluator's `kind` (a classification evaluator needs at least two classes). Opened once per
 * process and reused; a failed open is not kept, so a later call tries again.
 */
export async function openDataset<K extends Dataset['kind']>(registry: Registry<DatasetFactory>, kind: K, name: string, options: Readonly<Record<string, unknown>> = {}): Promise<DataOfKind<K>> {
  const factory = registry.get(name);
  if (factory.kind !== kind) throw new ConfigError('evaluator.dataset', `dataset '${name}' holds ${factory.kind} data, not ${kind}`);
  const key = JSON.stringify([name, options]);
  let data = opened.get(key);
  if (!data) {
    data = Promise.resolve(factory.create(options));
    opened.set(key, data);
    data.catch(() => opened.delete(key));
  }
  const dataset = await data;
  if (dataset.kind !== kind) throw new DataError(`dataset '${name}' gave ${String(dataset.kind)} data, not the ${kind} data it declares`);
  if (dataset.classNames.length < (kind === 'classification' ? 2 : 1)) throw new DataError(`dataset '${name}' has ${dataset.classNames.length} classes: too few for ${kind}`);
  return dataset as DataOfKind<K>;
}
