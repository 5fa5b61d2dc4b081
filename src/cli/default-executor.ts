import type { Executor } from '../core/executor.js';
import type { Registries } from '../core/registry.js';
import type { RunConfig } from '../engine/config.js';

// Training a child takes seconds to minutes of one core, a table lookup microseconds: a search that
// names neither an executor nor a concurrency runs training evaluators (those with a tensor `backend`
// option) on the pool, one worker per core, and lookups inline, where a thread hop would cost more
// than the evaluation.

/**
 * `config` with the default executor when the flags, file or preset (`raw`, before parsing fills in
 * inline) name neither an executor nor a concurrency: a concurrency is the inline executor's.
 */
export function withDefaultExecutor(config: RunConfig, raw: Record<string, unknown>, registries: Registries, concurrencyFlag: string | undefined): RunConfig {
  if (raw.executor !== undefined || concurrencyFlag !== undefined || (raw.concurrency ?? 1) !== 1) return config;
  const trainsNetworks = 'backend' in registries.evaluators.get(config.evaluator.name).options;
  return trainsNetworks ? { ...config, executor: { name: 'pool', options: {} } } : config;
}

/** The start-up line naming where evaluations run and how many at once. */
export function executorLine(config: RunConfig, executor: Executor): string {
  const name = config.executor?.name ?? 'inline';
  if (name === 'inline') return `executor: inline (main thread, ${executor.capacity} evaluation${executor.capacity > 1 ? 's' : ''} at a time)`;
  if (name === 'pool') {
    const chosen = (config.executor?.options as { workers?: number } | undefined)?.workers !== undefined;
    return `executor: pool, ${executor.capacity} worker thread${executor.capacity > 1 ? 's' : ''}${chosen ? '' : ' (one per core; --workers N to change, --executor inline for none)'}`;
  }
  return `executor: ${name}`;
}
