import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { ConfigError, DataError } from '../core/errors.js';
import type { Metrics } from '../core/evaluator.js';
import type { JsonValue } from '../core/json.js';
import { normalizeFlagOptions, type OptionSpecs } from '../core/options.js';
import type { TrialRecord } from '../core/trial.js';
import { experimentComponents, type RegistriesLoader } from '../engine/experiment-components.js';
import { summarize } from '../engine/experiment-summary.js';
import { RunsFolder } from '../store/runs-folder.js';
import { isExportable } from '../core/exportable.js';
import { GENOTYPE_FORMAT, type GenotypeFile } from './genotype-file.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION } from './manifest.js';
import { clearModelDir, writeModelDir } from './model-dir.js';
import { modelReadme } from './readme.js';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

export interface ExportOptions {
  readonly runsDir: string;
  readonly experiment: string;
  /** Default: the search's returned trial (after top-k re-evaluation where it ran). */
  readonly trial?: number;
  readonly out: string;
  /** Resource to train to (e.g. steps); default the evaluator's top fidelity. */
  readonly fidelity?: number;
  /**
   * Evaluator options over the stored ones (e.g. backend, or steps for a longer run). Text (as
   * `--evaluator-opt` gives it) is typed as `tsnas search` types its flags: by the evaluator's option
   * specs (`steps=300` is 300), other keys' numbers and booleans read as such.
   */
  readonly evaluatorOptions?: Readonly<Record<string, unknown>>;
  /** Default: the trial's seed, so the export is the trial's own run (at its top fidelity, its metrics). */
  readonly seed?: number;
  /** Loads the registries with the experiment's plugins (the CLI passes the composition root's). */
  readonly registries: RegistriesLoader;
  /** Told what is about to be trained (training to the top fidelity can take minutes). */
  readonly onStart?: (info: { trial: number; via: ExportResult['via']; fidelity: number | null; unit: string | undefined; seed: number }) => void;
}

export interface ExportResult {
  readonly dir: string;
  readonly trial: number;
  readonly via: 'option' | 'top-k' | 'best';
  readonly key: string;
  readonly fidelity: number | null;
  readonly seed: number;
  readonly metrics: Metrics;
  readonly files: string[];
}

function pickTrial(name: string, trials: readonly TrialRecord[], chosen: number | undefined, returned: ReturnType<typeof summarize>['returned']): { trial: TrialRecord; via: ExportResult['via'] } {
  if (chosen === undefined && !returned) throw new DataError(`experiment '${name}' has no finished trial to export`);
  const n = chosen ?? (returned?.trial as number);
  const t = trials.find((x) => x.number === n);
  if (!t) throw new DataError(`experiment '${name}' has no trial ${n} (it has ${trials.length}: 0–${trials.length - 1})`);
  if (t.status === 'failed') throw new DataError(`trial ${n} of '${name}' failed (${t.error ?? 'no reason recorded'}): nothing to export`);
  if (t.status === 'running') throw new DataError(`trial ${n} of '${name}' has not finished (status running): nothing to export`);
  return { trial: t, via: chosen !== undefined ? 'option' : (returned?.via ?? 'best') };
}

/** The options with their text typed by the specs (normalizeFlagOptions), the rest as given, in their order. */
function typedOptions(specs: OptionSpecs, given: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const text = Object.fromEntries(Object.entries(given).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const typed = normalizeFlagOptions('evaluator', specs, text);
  return Object.fromEntries(Object.entries(given).map(([k, v]) => [k, k in typed ? typed[k] : v]));
}

/**
 * Exports a trial of a stored experiment: trains its architecture again with the experiment's evaluator
 * (its seed, at the chosen fidelity) and writes genotype.json, the weights in TensorFlow.js's format
 * (model.json + .bin shards), metrics.json and a README to `out`.
 */
export async function exportTrial(o: ExportOptions): Promise<ExportResult> {
  const store = new RunsFolder(o.runsDir).read(o.experiment);
  let meta, summary;
  try {
    meta = store.meta();
    summary = summarize(store);
  } finally {
    store.close();
  }
  if (!meta) throw new DataError(`store of '${o.experiment}' has no experiment row`);
  const { trial: t, via } = pickTrial(o.experiment, summary.trials, o.trial, summary.returned);
  const { config, registries, space } = await experimentComponents(meta, o.registries);
  const factory = registries.evaluators.get(config.evaluator.name);
  const evaluatorOptions = { ...config.evaluator.options, ...typedOptions(factory.options, o.evaluatorOptions ?? {}) };
  const evaluator = await factory.create(evaluatorOptions, space);
  try {
    if (!isExportable(evaluator)) throw new DataError(`evaluator '${factory.name}' trains no network (a table lookup?): there are no weights to export`);
    const spec = evaluator.fidelity;
    if (o.fidelity !== undefined && (!spec || o.fidelity < spec.min || o.fidelity > spec.max)) {
      throw new ConfigError('--fidelity', spec ? `must be within ${spec.min}..${spec.max} ${spec.unit} (raise the top with --evaluator-opt), got ${o.fidelity}` : `evaluator '${factory.name}' has a single fidelity`);
    }
    const fidelity = o.fidelity ?? spec?.max ?? null;
    const seed = o.seed ?? t.seed;
    const genotype = space.validate(t.genotype);
    o.onStart?.({ trial: t.number, via, fidelity, unit: spec?.unit, seed });
    const { metrics, model } = await evaluator.train({ trial: t.number, genotype, key: t.key, seed, ...(fidelity !== null ? { fidelity: { resource: fidelity } } : {}) });
    const dir = resolve(o.out);
    mkdirSync(dir, { recursive: true });
    clearModelDir(dir);
    const source: Record<string, JsonValue> = {
      experiment: o.experiment,
      trial: t.number,
      chosenBy: via,
      seed,
      fidelity,
      fidelityUnit: spec?.unit ?? null,
      evaluator: { name: factory.name, options: evaluatorOptions as Record<string, JsonValue> },
      exportedAt: new Date().toISOString(),
    };
    await writeModelDir(
      dir,
      {
        format: MODEL_FORMAT,
        formatVersion: MODEL_FORMAT_VERSION,
        generatedBy: `tsnas ${version}`,
        convertedBy: null,
        modelTopology: { kind: model.kind, space: { name: config.space.name, options: config.space.options }, genotype: t.genotype, key: t.key, config: model.config },
        userDefinedMetadata: { data: model.data, source, plugins: config.plugins },
      },
      model.weights,
    );
    const genotypeFile: GenotypeFile = { format: GENOTYPE_FORMAT, space: config.space.name, spaceOptions: config.space.options, key: t.key, genotype: t.genotype };
    writeFileSync(join(dir, 'genotype.json'), JSON.stringify(genotypeFile, null, 2) + '\n');
    writeFileSync(join(dir, 'metrics.json'), JSON.stringify({ ...source, metrics, search: { status: t.status, reward: t.reward, resource: t.resource ?? null, metrics: t.metrics } }, null, 2) + '\n');
    writeFileSync(join(dir, 'README.md'), modelReadme({ dir, experiment: o.experiment, trial: t.number, key: t.key, space: config.space.name, fidelity, unit: spec?.unit, metrics, data: model.data, kind: model.kind }));
    return { dir, trial: t.number, via, key: t.key, fidelity, seed, metrics, files: ['genotype.json', 'model.json', 'metrics.json', 'README.md'] };
  } finally {
    await evaluator.close?.();
  }
}
