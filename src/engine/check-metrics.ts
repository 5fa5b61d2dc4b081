import type { Metrics } from '../core/evaluator.js';

/**
 * Enforces the evaluator contract (a flat record of finite numbers) on what an executor returned, so
 * a diverged training run (NaN loss) fails its trial with a reason instead of reaching the strategy
 * or the store. Used by the engine, so it holds for every executor.
 */
export function checkMetrics(value: unknown): Metrics {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`evaluator returned ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}, not a record of metrics`);
  }
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'number') throw new Error(`metric ${name} is not a number (${v === null ? 'null' : typeof v})`);
    if (!Number.isFinite(v)) throw new Error(`metric ${name} is ${v}`);
  }
  return value as Metrics;
}
