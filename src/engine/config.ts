import { ConfigError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import { parseExecutorConfig, type ExecutorConfig } from './executor-config.js';

/** A component chosen by name with its raw options (validated by the component's own option spec). */
export interface ComponentConfig {
  readonly name: string;
  readonly options: Readonly<Record<string, JsonValue>>;
}

/** Everything that defines a search run; stored with the experiment. */
export interface RunConfig {
  readonly space: ComponentConfig;
  readonly strategy: ComponentConfig;
  readonly evaluator: ComponentConfig;
  /**
   * Multi-fidelity scheduler (asha, successive-halving, hyperband or a plugin's); absent = fifo, every
   * trial once at the evaluator's top fidelity. Part of the identity.
   */
  readonly scheduler?: ComponentConfig;
  /** mathjs expression over the evaluator's metrics; absent = its primary metric. */
  readonly reward?: string;
  readonly seed: number;
  readonly budget: { readonly evaluations?: number; readonly seconds?: number; readonly trials?: number };
  /** Evaluations run at once by the inline executor (the pool runs one per worker). */
  readonly concurrency: number;
  /** Where evaluations run; absent = inline. Not part of the identity: a resume may change it. */
  readonly executor?: ExecutorConfig;
  readonly checkpointEvery: number;
  /** Plugin modules the run needs (loaded again on resume). */
  readonly plugins: readonly string[];
  /**
   * Top-k re-evaluation after the search: the `top` best children retrained at the top fidelity over
   * `seeds` seeds; the search returns the best mean. Not part of the identity (like the budget, a
   * resume may add or change it: it runs after the trials and does not change them).
   */
  readonly reevaluate?: { readonly top: number; readonly seeds: number };
}

function component(field: string, raw: unknown): ComponentConfig {
  if (typeof raw === 'string') return { name: raw, options: {} };
  const r = raw as { name?: unknown; options?: unknown } | null;
  if (!r || typeof r.name !== 'string') throw new ConfigError(field, 'expected a name or {"name": ..., "options": {...}}');
  const options = r.options ?? {};
  if (typeof options !== 'object' || Array.isArray(options) || options === null) throw new ConfigError(`${field}.options`, 'expected an object');
  return { name: r.name, options: options as Record<string, JsonValue> };
}

function positive(field: string, v: unknown, integer: boolean): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !(v > 0) || (integer && !Number.isInteger(v))) {
    throw new ConfigError(field, `expected a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Checkpoint period in trials; 0 = only at the end of the run; default 1. */
function checkpointEvery(v: unknown): number {
  if (v === undefined) return 1;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ConfigError('checkpointEvery', `expected a non-negative integer, got ${JSON.stringify(v)}`);
  return v;
}

/** Validates a raw (parsed JSON or CLI-assembled) run config, naming the first bad field. */
export function parseRunConfig(raw: unknown): RunConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError('config', 'expected a JSON object');
  const r = raw as Record<string, unknown>;
  const known = ['space', 'strategy', 'evaluator', 'scheduler', 'reward', 'seed', 'budget', 'concurrency', 'executor', 'checkpointEvery', 'plugins', 'reevaluate'];
  for (const k of Object.keys(r)) if (!known.includes(k)) throw new ConfigError(k, `unknown field; known: ${known.join(', ')}`);
  const budgetRaw = (r.budget ?? {}) as Record<string, unknown>;
  if (typeof budgetRaw !== 'object' || Array.isArray(budgetRaw)) throw new ConfigError('budget', 'expected an object');
  for (const k of Object.keys(budgetRaw)) if (!['evaluations', 'seconds', 'trials'].includes(k)) throw new ConfigError(`budget.${k}`, 'unknown field; known: evaluations, seconds, trials');
  const budget = {
    evaluations: positive('budget.evaluations', budgetRaw.evaluations, true),
    seconds: positive('budget.seconds', budgetRaw.seconds, false),
    trials: positive('budget.trials', budgetRaw.trials, true),
  };
  if (budget.evaluations === undefined && budget.seconds === undefined) throw new ConfigError('budget', 'give budget.evaluations and/or budget.seconds');
  const seed = r.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0) throw new ConfigError('seed', `expected a non-negative integer, got ${JSON.stringify(seed)}`);
  if (r.reward !== undefined && (typeof r.reward !== 'string' || r.reward.trim() === '')) throw new ConfigError('reward', 'expected a non-empty expression string');
  // fifo without options is the default: left out, so the identity is that of a run that never named it.
  const scheduler = r.scheduler === undefined ? undefined : component('scheduler', r.scheduler);
  const keep = scheduler !== undefined && !(scheduler.name === 'fifo' && Object.keys(scheduler.options).length === 0);
  if (keep && scheduler.name !== 'fifo' && r.checkpointEvery !== undefined && r.checkpointEvery !== 1) {
    throw new ConfigError('checkpointEvery', `a multi-fidelity scheduler checkpoints with every rung; leave checkpointEvery at 1 (got ${JSON.stringify(r.checkpointEvery)})`);
  }
  const reevaluate = parseReevaluate(r.reevaluate);
  const plugins = r.plugins ?? [];
  if (!Array.isArray(plugins) || plugins.some((p) => typeof p !== 'string')) throw new ConfigError('plugins', 'expected an array of module paths');
  return {
    space: component('space', r.space),
    strategy: component('strategy', r.strategy),
    evaluator: component('evaluator', r.evaluator),
    ...(keep ? { scheduler } : {}),
    ...(r.reward !== undefined ? { reward: r.reward as string } : {}),
    seed,
    budget: Object.fromEntries(Object.entries(budget).filter(([, v]) => v !== undefined)),
    concurrency: positive('concurrency', r.concurrency, true) ?? 1,
    executor: parseExecutorConfig(r.executor),
    checkpointEvery: checkpointEvery(r.checkpointEvery),
    plugins: plugins as string[],
    ...(reevaluate ? { reevaluate } : {}),
  };
}

function parseReevaluate(raw: unknown): RunConfig['reevaluate'] {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError('reevaluate', 'expected {"top": k, "seeds": n}');
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) if (k !== 'top' && k !== 'seeds') throw new ConfigError(`reevaluate.${k}`, 'unknown field; known: top, seeds');
  const top = positive('reevaluate.top', r.top, true);
  const seeds = positive('reevaluate.seeds', r.seeds, true);
  if (top === undefined || seeds === undefined) throw new ConfigError('reevaluate', 'give both top and seeds');
  return { top, seeds };
}

/**
 * The parts of a config that a resumed run must share with the stored one: everything but the budget
 * (a resume may extend it), the executor (where evaluations run does not change their results), the
 * re-evaluation (it runs after the trials) and where plugins are loaded from (the components they
 * provide are named in the rest).
 */
export function identityOf(config: RunConfig): string {
  const { budget: _budget, executor: _executor, reevaluate: _reevaluate, plugins: _plugins, ...rest } = config;
  return JSON.stringify(rest);
}
