import { ConfigError, DataError } from '../core/errors.js';
import { INPUT_LIMITS, readInputFile } from '../core/input-file.js';
import { normalizeFlagOptions } from '../core/options.js';
import { parseRunConfig, type RunConfig } from '../engine/config.js';
import { pluginSpecifier } from '../wiring/plugins.js';
import type { Registries } from '../core/registry.js';
import { DEFAULT_PRESET, preset } from './presets.js';
import { intFlag, numFlag, parseKeyStrings } from './kv.js';

/** Flags shared by `search` and `bench` that pick the space, evaluator and reward. */
export interface ProblemFlags {
  space?: string;
  spaceOpt?: string[];
  evaluator?: string;
  evaluatorOpt?: string[];
  reward?: string;
  plugin?: string[];
}

export interface SearchFlags extends ProblemFlags {
  config?: string;
  preset?: string;
  topK?: string;
  topKSeeds?: string;
  strategy?: string;
  strategyOpt?: string[];
  scheduler?: string;
  schedulerOpt?: string[];
  seed?: string;
  evaluations?: string;
  seconds?: string;
  maxTrials?: string;
  concurrency?: string;
  checkpointEvery?: string;
  executor?: string;
  workers?: string;
  trialTimeout?: string;
  setupTimeout?: string;
  workerMemory?: string;
}

/** Space of `tsnas bench` (a tabular benchmark) when --space is not given. */
export const DEFAULT_SPACE = 'nasbench201';
export const DEFAULT_STRATEGY = 'evolution';
export const DEFAULT_EVALUATIONS = 150;

type ComponentField = 'space' | 'strategy' | 'evaluator' | 'scheduler';

/** A run config assembled from a base and the flags, before the registries fill the default evaluator and check it. */
export interface MergedConfig {
  readonly raw: Record<string, unknown>;
  /** Options given as flags (strings), by component: coerced by the component's option specs. */
  readonly flagOptions: Partial<Record<ComponentField, Record<string, string>>>;
}

/** The first evaluator registered for a space: the default when `--evaluator` is not given. */
export function defaultEvaluator(registries: Registries, space: string): string {
  const match = registries.evaluators.list().find((e) => !e.spaces || e.spaces.includes(space));
  if (!match) throw new ConfigError('evaluator', `no registered evaluator handles space '${space}'; pass --evaluator`);
  return match.name;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readInputFile(path, '--config file', INPUT_LIMITS.config).toString('utf8');
  } catch (e) {
    throw new ConfigError('--config', (e as DataError).message);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ConfigError('--config', `${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('--config', `${path} must hold a JSON object of run config fields, not ${parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : typeof parsed}`);
  }
  return parsed as Record<string, unknown>;
}

/** The config file, the preset, the embedded default (no --config, --preset nor --space), or nothing. */
export function baseConfig(flags: SearchFlags): Record<string, unknown> {
  if (flags.config && flags.preset) throw new ConfigError('--preset', 'give --config or --preset, not both');
  if (flags.config) return readConfigFile(flags.config);
  if (flags.preset) return { ...preset(flags.preset) };
  return flags.space === undefined ? { ...preset(DEFAULT_PRESET) } : {};
}

/**
 * The executor from the config file and the flags (flags win). A pool option without `--executor`
 * (and without an executor in the file) implies the pool: `--workers 4` alone means worker threads.
 */
function executorFromFlags(flags: SearchFlags, fromFile: unknown): unknown {
  const given = {
    ...(flags.workers !== undefined ? { workers: intFlag('--workers', flags.workers) } : {}),
    ...(flags.trialTimeout !== undefined ? { trialTimeoutSeconds: numFlag('--trial-timeout', flags.trialTimeout) } : {}),
    ...(flags.setupTimeout !== undefined ? { setupTimeoutSeconds: numFlag('--setup-timeout', flags.setupTimeout) } : {}),
    ...(flags.workerMemory !== undefined ? { memoryLimitMb: intFlag('--worker-memory', flags.workerMemory) } : {}),
  };
  if (flags.executor === undefined && Object.keys(given).length === 0) return fromFile;
  const file = (typeof fromFile === 'string' ? { name: fromFile } : (fromFile ?? {})) as { name?: unknown; options?: object };
  if (typeof file !== 'object' || Array.isArray(file)) throw new ConfigError('executor', 'expected a name or {"name": ..., "options": {...}}');
  const name = flags.executor ?? file.name ?? 'pool';
  // Options in the file belong to the file's executor; another one named by flag starts afresh.
  const fileOptions = file.name === undefined || file.name === name ? (file.options ?? {}) : {};
  if (typeof fileOptions !== 'object' || fileOptions === null || Array.isArray(fileOptions)) throw new ConfigError('executor.options', 'expected an object');
  return { name, options: { ...fileOptions, ...given } };
}

/** A component of the base: its name and options, checked for shape (a file may hold anything). */
function baseComponent(field: ComponentField, raw: unknown): { name?: string; options: Record<string, unknown> } {
  if (raw === undefined) return { options: {} };
  if (typeof raw === 'string') return { name: raw, options: {} };
  const r = raw as { name?: unknown; options?: unknown } | null;
  if (typeof r !== 'object' || r === null || Array.isArray(r) || typeof r.name !== 'string') throw new ConfigError(field, 'expected a name or {"name": ..., "options": {...}}');
  for (const k of Object.keys(r)) if (k !== 'name' && k !== 'options') throw new ConfigError(`${field}.${k}`, 'unknown field; known: name, options');
  const options = r.options ?? {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new ConfigError(`${field}.options`, 'expected an object');
  return { name: r.name, options: options as Record<string, unknown> };
}

/** The budget of the base (a file's must be an object of known fields) merged with the flags. */
function budgetFromFlags(flags: SearchFlags, raw: unknown): Record<string, number> {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) throw new ConfigError('budget', `expected an object like {"evaluations": 150}, got ${JSON.stringify(raw)}`);
  const file = (raw ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(file)) if (!['evaluations', 'seconds', 'trials'].includes(k)) throw new ConfigError(`budget.${k}`, 'unknown field; known: evaluations, seconds, trials');
  const evaluations = intFlag('--evaluations', flags.evaluations) ?? file.evaluations;
  const seconds = numFlag('--seconds', flags.seconds) ?? file.seconds;
  const trials = intFlag('--max-trials', flags.maxTrials) ?? file.trials;
  // The default budget applies only when nothing names one: a file's `"budget": {}` is an error, not 150.
  const none = raw === undefined && evaluations === undefined && seconds === undefined;
  return Object.fromEntries(
    Object.entries({ evaluations: none ? DEFAULT_EVALUATIONS : evaluations, seconds, trials }).filter(([, v]) => v !== undefined),
  ) as Record<string, number>;
}

/** Merges a base (config file or preset) with the flags (flags win), without the registries. */
export function mergeFlags(flags: SearchFlags, base: Record<string, unknown>): MergedConfig {
  const flagOptions: MergedConfig['flagOptions'] = {};
  const pick = (field: ComponentField, name: string | undefined, opts: string[] | undefined) => {
    const fromFile = baseComponent(field, base[field]);
    // The file's options belong to the file's component: a flag naming another one starts afresh.
    const sameComponent = name === undefined || name === fromFile.name;
    const given = parseKeyStrings(`--${field}-opt`, opts);
    flagOptions[field] = given;
    return { name: name ?? fromFile.name, options: { ...(sameComponent ? fromFile.options : {}), ...given } };
  };
  const namesScheduler = flags.scheduler !== undefined || base.scheduler !== undefined;
  if (!namesScheduler && flags.schedulerOpt?.length) throw new ConfigError('--scheduler-opt', 'give --scheduler too (the default, fifo, takes no options)');
  const space = pick('space', flags.space, flags.spaceOpt);
  const strategy = pick('strategy', flags.strategy, flags.strategyOpt);
  const evaluator = pick('evaluator', flags.evaluator, flags.evaluatorOpt);
  const raw: Record<string, unknown> = {
    ...base,
    space: { ...space, name: space.name ?? DEFAULT_SPACE },
    strategy: { ...strategy, name: strategy.name ?? DEFAULT_STRATEGY },
    evaluator,
    ...(namesScheduler ? { scheduler: (({ name, options }) => ({ name: name ?? 'fifo', options }))(pick('scheduler', flags.scheduler, flags.schedulerOpt)) } : {}),
    ...(flags.reward !== undefined ? { reward: flags.reward } : {}),
    seed: intFlag('--seed', flags.seed) ?? base.seed ?? 0,
    budget: budgetFromFlags(flags, base.budget),
    concurrency: intFlag('--concurrency', flags.concurrency) ?? base.concurrency ?? 1,
    executor: executorFromFlags(flags, base.executor),
    checkpointEvery: intFlag('--checkpoint-every', flags.checkpointEvery) ?? base.checkpointEvery ?? 1,
    plugins: flags.plugin ?? base.plugins ?? [],
    ...reevaluateFromFlags(flags, base.reevaluate),
  };
  return { raw, flagOptions };
}

/** The default experiment name, `<space>-<strategy>-s<seed>`, known before any plugin is loaded. */
export function defaultName(merged: MergedConfig): string {
  const r = merged.raw as { space: { name: unknown }; strategy: { name: unknown }; seed: unknown };
  return `${String(r.space.name)}-${String(r.strategy.name)}-s${String(r.seed)}`;
}

/** The plugins the merged config names, as they are stored (file paths absolute). */
export function mergedPlugins(merged: MergedConfig): string[] {
  const plugins = merged.raw.plugins;
  if (!Array.isArray(plugins) || plugins.some((p) => typeof p !== 'string')) throw new ConfigError('plugins', 'expected an array of module paths');
  return plugins.map((p: string) => pluginSpecifier(p));
}

/** Fills the default evaluator, coerces flag options by the components' specs and validates the whole config. */
export function finishConfig(merged: MergedConfig, registries: Registries): RunConfig {
  const raw = { ...merged.raw, plugins: mergedPlugins(merged) } as unknown as Record<string, unknown> & Record<ComponentField, { name?: string; options: Record<string, unknown> } | undefined>;
  const space = raw.space as { name: string; options: Record<string, unknown> };
  const evaluator = raw.evaluator as { name?: string; options: Record<string, unknown> };
  const spaceFactory = registries.spaces.get(space.name);
  const evaluatorFactory = registries.evaluators.get(evaluator.name ?? defaultEvaluator(registries, space.name));
  if (evaluatorFactory.spaces && !evaluatorFactory.spaces.includes(spaceFactory.name)) {
    throw new ConfigError('evaluator', `'${evaluatorFactory.name}' evaluates the space(s) ${evaluatorFactory.spaces.join(', ')}, not '${spaceFactory.name}'`);
  }
  raw.evaluator = { ...evaluator, name: evaluatorFactory.name };
  const registryOf = { space: registries.spaces, strategy: registries.strategies, evaluator: registries.evaluators, scheduler: registries.schedulers } as const;
  for (const field of ['space', 'strategy', 'evaluator', 'scheduler'] as const) {
    const component = raw[field];
    const given = merged.flagOptions[field];
    if (!component || !given || Object.keys(given).length === 0) continue;
    const specs = registryOf[field].get(component.name as string).options;
    raw[field] = { ...component, options: { ...component.options, ...normalizeFlagOptions(field === 'evaluator' || field === 'space' ? field : (component.name as string), specs, given) } };
  }
  return parseRunConfig(raw);
}

/**
 * Merges a config file or a preset (if any) with flags (flags win) and validates the result. Without
 * --config, --preset and --space, the base is the embedded NAS-FPN demo search.
 */
export function runConfigFromFlags(flags: SearchFlags, registries: Registries): RunConfig {
  return finishConfig(mergeFlags(flags, baseConfig(flags)), registries);
}

/** `--top-k K [--top-k-seeds N]` (N defaults to 3, or the base's); `--top-k 0` turns a base's re-evaluation off. */
function reevaluateFromFlags(flags: SearchFlags, base: unknown): { reevaluate?: unknown } {
  const top = intFlag('--top-k', flags.topK);
  const seeds = intFlag('--top-k-seeds', flags.topKSeeds);
  if (base !== undefined && base !== null && (typeof base !== 'object' || Array.isArray(base))) throw new ConfigError('reevaluate', 'expected {"top": k, "seeds": n}');
  const b = (base ?? undefined) as { top?: number; seeds?: number } | undefined;
  if (top === 0) return { reevaluate: undefined };
  if (top === undefined && seeds === undefined) return b ? { reevaluate: b } : {};
  if (top === undefined && !b) throw new ConfigError('--top-k-seeds', 'give --top-k too');
  return { reevaluate: { top: top ?? b?.top, seeds: seeds ?? b?.seeds ?? 3 } };
}
