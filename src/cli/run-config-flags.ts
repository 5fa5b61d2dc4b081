import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/errors.js';
import { parseRunConfig, type RunConfig } from '../engine/config.js';
import type { Registries } from '../engine/registry.js';
import { DEFAULT_PRESET, preset } from './presets.js';
import { intFlag, numFlag, parseKeyValues } from './kv.js';

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
  workerMemory?: string;
}

/** Space of `tsnas bench` (a tabular benchmark) when --space is not given. */
export const DEFAULT_SPACE = 'nasbench201';
export const DEFAULT_STRATEGY = 'evolution';
export const DEFAULT_EVALUATIONS = 150;

/** The first evaluator registered for a space: the default when `--evaluator` is not given. */
export function defaultEvaluator(registries: Registries, space: string): string {
  const match = registries.evaluators.list().find((e) => !e.spaces || e.spaces.includes(space));
  if (!match) throw new ConfigError('evaluator', `no registered evaluator handles space '${space}'; pass --evaluator`);
  return match.name;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError('--config', `cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError('--config', `${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * The executor from the config file and the flags (flags win). A pool option without `--executor`
 * (and without an executor in the file) implies the pool: `--workers 4` alone means worker threads.
 */
function executorFromFlags(flags: SearchFlags, fromFile: unknown): unknown {
  const given = {
    ...(flags.workers !== undefined ? { workers: intFlag('--workers', flags.workers) } : {}),
    ...(flags.trialTimeout !== undefined ? { trialTimeoutSeconds: numFlag('--trial-timeout', flags.trialTimeout) } : {}),
    ...(flags.workerMemory !== undefined ? { memoryLimitMb: intFlag('--worker-memory', flags.workerMemory) } : {}),
  };
  if (flags.executor === undefined && Object.keys(given).length === 0) return fromFile;
  const file = (typeof fromFile === 'string' ? { name: fromFile } : (fromFile ?? {})) as { name?: unknown; options?: object };
  const name = flags.executor ?? file.name ?? 'pool';
  // Options in the file belong to the file's executor; another one named by flag starts afresh.
  const fileOptions = file.name === undefined || file.name === name ? (file.options ?? {}) : {};
  return { name, options: { ...fileOptions, ...given } };
}

/**
 * Merges a config file or a preset (if any) with flags (flags win) and validates the result. Without
 * --config, --preset and --space, the base is the embedded NAS-FPN demo search.
 */
export function runConfigFromFlags(flags: SearchFlags, registries: Registries): RunConfig {
  if (flags.config && flags.preset) throw new ConfigError('--preset', 'give --config or --preset, not both');
  const base: Record<string, unknown> = flags.config
    ? readConfigFile(flags.config)
    : flags.preset
      ? { ...preset(flags.preset) }
      : flags.space === undefined
        ? { ...preset(DEFAULT_PRESET) }
        : {};
  const pick = (field: 'space' | 'strategy' | 'evaluator' | 'scheduler', name: string | undefined, opts: string[] | undefined, fallback: () => string) => {
    const fromFile = base[field];
    const fileName = typeof fromFile === 'string' ? fromFile : (fromFile as { name?: string } | undefined)?.name;
    // The file's options belong to the file's component: a flag naming another one starts afresh.
    const sameComponent = name === undefined || name === fileName;
    const fileOpts = sameComponent && typeof fromFile === 'object' && fromFile !== null ? ((fromFile as { options?: object }).options ?? {}) : {};
    return { name: name ?? fileName ?? fallback(), options: { ...fileOpts, ...parseKeyValues(`--${field}-opt`, opts) } };
  };
  const space = pick('space', flags.space, flags.spaceOpt, () => DEFAULT_SPACE);
  const namesScheduler = flags.scheduler !== undefined || base.scheduler !== undefined;
  if (!namesScheduler && flags.schedulerOpt?.length) throw new ConfigError('--scheduler-opt', 'give --scheduler too (the default, fifo, takes no options)');
  const budgetFile = (base.budget ?? {}) as Record<string, unknown>;
  const evaluations = intFlag('--evaluations', flags.evaluations) ?? (budgetFile.evaluations as number | undefined);
  const seconds = numFlag('--seconds', flags.seconds) ?? (budgetFile.seconds as number | undefined);
  const trials = intFlag('--max-trials', flags.maxTrials) ?? (budgetFile.trials as number | undefined);
  return parseRunConfig({
    ...base,
    space,
    strategy: pick('strategy', flags.strategy, flags.strategyOpt, () => DEFAULT_STRATEGY),
    evaluator: pick('evaluator', flags.evaluator, flags.evaluatorOpt, () => defaultEvaluator(registries, space.name)),
    ...(namesScheduler ? { scheduler: pick('scheduler', flags.scheduler, flags.schedulerOpt, () => 'fifo') } : {}),
    ...(flags.reward !== undefined ? { reward: flags.reward } : {}),
    seed: intFlag('--seed', flags.seed) ?? base.seed ?? 0,
    budget: {
      ...(evaluations === undefined && seconds === undefined ? { evaluations: DEFAULT_EVALUATIONS } : {}),
      ...(evaluations !== undefined ? { evaluations } : {}),
      ...(seconds !== undefined ? { seconds } : {}),
      ...(trials !== undefined ? { trials } : {}),
    },
    concurrency: intFlag('--concurrency', flags.concurrency) ?? base.concurrency ?? 1,
    executor: executorFromFlags(flags, base.executor),
    checkpointEvery: intFlag('--checkpoint-every', flags.checkpointEvery) ?? base.checkpointEvery ?? 1,
    plugins: flags.plugin ?? base.plugins ?? [],
    ...reevaluateFromFlags(flags, base.reevaluate),
  });
}

/** `--top-k K [--top-k-seeds N]` (N defaults to 3, or the base's); `--top-k 0` turns a base's re-evaluation off. */
function reevaluateFromFlags(flags: SearchFlags, base: unknown): { reevaluate?: unknown } {
  const top = intFlag('--top-k', flags.topK);
  const seeds = intFlag('--top-k-seeds', flags.topKSeeds);
  const b = (base ?? undefined) as { top?: number; seeds?: number } | undefined;
  if (top === 0) return { reevaluate: undefined };
  if (top === undefined && seeds === undefined) return b ? { reevaluate: b } : {};
  if (top === undefined && !b) throw new ConfigError('--top-k-seeds', 'give --top-k too');
  return { reevaluate: { top: top ?? b?.top, seeds: seeds ?? b?.seeds ?? 3 } };
}
