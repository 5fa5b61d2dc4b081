import { ConfigError } from '../src/core/errors.js';
import { resolveOptions, type OptionSpecs, type OptionValues } from '../src/core/options.js';
import type { SchedulerContext } from '../src/core/scheduler.js';

/** Options every rung-based scheduler takes. 0 means "the evaluator's own bound", so flags coerce through the spec. */
export const RUNG_OPTIONS = {
  eta: { type: 'integer', default: 3, min: 2, help: 'reduction factor: rungs are eta times apart and the best 1/eta of a rung is promoted' },
  minResource: { type: 'number', default: 0, min: 0, help: "resource of the lowest rung (0: the evaluator's fidelity.min)" },
  maxResource: { type: 'number', default: 0, min: 0, help: "resource of the top rung (0: the evaluator's fidelity.max)" },
} as const satisfies OptionSpecs;

export type RungOptions = OptionValues<typeof RUNG_OPTIONS>;

/**
 * Validates a scheduler's options against the evaluator's fidelity and returns them with its rung
 * levels: minResource * eta^k below maxResource, then maxResource itself (always a rung).
 */
export function resolveRungs<S extends OptionSpecs & typeof RUNG_OPTIONS>(
  scheduler: string,
  specs: S,
  ctx: SchedulerContext,
  given: Readonly<Record<string, unknown>>,
): { options: OptionValues<S>; levels: number[] } {
  const options = resolveOptions(scheduler, specs, given);
  const { eta, minResource, maxResource } = options as unknown as RungOptions;
  const f = ctx.fidelity;
  if (!f) {
    throw new ConfigError('scheduler', `'${scheduler}' needs an evaluator with a fidelity (a resource such as training steps to hand out); '${ctx.evaluator}' has a single fidelity: leave the scheduler at fifo`);
  }
  const min = minResource || f.min;
  const max = maxResource || f.max;
  if (min < f.min) throw new ConfigError(`${scheduler}.minResource`, `must be >= the evaluator's fidelity.min (${f.min} ${f.unit}), got ${min}`);
  if (max > f.max) throw new ConfigError(`${scheduler}.maxResource`, `must be <= the evaluator's fidelity.max (${f.max} ${f.unit}), got ${max}`);
  if (min > max) throw new ConfigError(`${scheduler}.minResource`, `must be <= maxResource (${max} ${f.unit}), got ${min}`);
  const levels: number[] = [];
  for (let r = min; r < max; r *= eta) levels.push(r);
  levels.push(max);
  return { options, levels };
}

/** A finished rung's entry: higher reward first, the earlier trial on ties (deterministic promotions). */
export interface Ranked {
  readonly trial: number;
  readonly reward: number;
}

export function byReward(a: Ranked, b: Ranked): number {
  return b.reward - a.reward || a.trial - b.trial;
}

/** The position of `resource` among `levels`; throws for a resource the scheduler never handed out. */
export function levelIndex(levels: readonly number[], resource: number): number {
  const k = levels.indexOf(resource);
  if (k < 0) throw new Error(`resource ${resource} is not a rung level (${levels.join(', ')})`);
  return k;
}
