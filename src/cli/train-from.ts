import { ConfigError, DataError } from '../core/errors.js';
import type { EvaluationRequest, Evaluator, Metrics } from '../core/evaluator.js';
import type { SearchSpace } from '../core/space.js';
import type { TrialRecord } from '../core/trial.js';
import { experimentComponents } from '../engine/experiment-components.js';
import { RunsFolder } from '../store/runs-folder.js';
import { loadRegistries } from '../wiring/registries.js';

// `tsnas train --from X --trial N`: trial N evaluated again as the search evaluated it, with the
// experiment's space, evaluator and options, the trial's own seed and (multi-fidelity) its resource.

export interface StoredTrialRun {
  readonly trial: TrialRecord;
  readonly space: SearchSpace;
  readonly evaluator: Evaluator;
  readonly evaluatorName: string;
  readonly evaluatorOptions: Record<string, unknown>;
  /** The evaluator has a `backend` option (it trains networks). */
  readonly runsTensors: boolean;
  readonly request: EvaluationRequest;
}

/** Builds what re-evaluating trial `number` of the stored experiment `name` needs; `overrides` replace stored evaluator options (e.g. backend). */
export async function storedTrialRun(runsDir: string, name: string, number: number, overrides: Record<string, unknown>): Promise<StoredTrialRun> {
  const store = new RunsFolder(runsDir).read(name);
  let meta, trials;
  try {
    meta = store.meta();
    trials = store.trials();
  } finally {
    store.close();
  }
  if (!meta) throw new DataError(`store of '${name}' has no experiment row`);
  const trial = trials.find((t) => t.number === number);
  if (!trial) throw new ConfigError('--trial', `experiment '${name}' has no trial ${number} (it has ${trials.length}: 0–${trials.length - 1})`);
  if (trial.status === 'cached' || trial.cachedFrom !== null) throw new ConfigError('--trial', `trial ${number} of '${name}' was answered from the cache (trial ${trial.cachedFrom ?? '?'}): retrain that one`);
  const { config, registries, space } = await experimentComponents(meta, loadRegistries);
  const factory = registries.evaluators.get(config.evaluator.name);
  const evaluatorOptions = { ...config.evaluator.options, ...overrides };
  const evaluator = await factory.create(evaluatorOptions, space);
  const request: EvaluationRequest = {
    trial: trial.number,
    genotype: space.validate(trial.genotype),
    key: trial.key,
    seed: trial.seed,
    ...(trial.resource !== undefined && trial.resource !== null ? { fidelity: { resource: trial.resource } } : {}),
  };
  return { trial, space, evaluator, evaluatorName: factory.name, evaluatorOptions, runsTensors: 'backend' in factory.options, request };
}

/** The metrics whose value differs from the stored one (a metric missing on either side differs). */
export function differingMetrics(stored: Metrics | null | undefined, now: Metrics): string[] {
  const names = new Set([...Object.keys(stored ?? {}), ...Object.keys(now)]);
  return [...names].filter((k) => !Object.is(stored?.[k], now[k]));
}
