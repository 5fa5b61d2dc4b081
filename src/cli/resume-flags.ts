import { StoreError } from '../core/errors.js';
import type { RunConfig } from '../engine/config.js';
import type { SearchFlags } from './run-config-flags.js';

// `tsnas search --name X --resume` lays the flags over X's stored config. What a resume may change is
// the budget, the top-k re-evaluation, the executor and where plugins come from; a flag that would make
// it another experiment is refused by name, before anything is loaded or written.

/** Flags that set a part of the experiment's identity, by the config field they set. */
const IDENTITY_FLAGS: readonly (readonly [keyof SearchFlags | 'backend', string, keyof RunConfig])[] = [
  ['space', '--space', 'space'],
  ['spaceOpt', '--space-opt', 'space'],
  ['strategy', '--strategy', 'strategy'],
  ['strategyOpt', '--strategy-opt', 'strategy'],
  ['scheduler', '--scheduler', 'scheduler'],
  ['schedulerOpt', '--scheduler-opt', 'scheduler'],
  ['evaluator', '--evaluator', 'evaluator'],
  ['evaluatorOpt', '--evaluator-opt', 'evaluator'],
  ['backend', '--backend', 'evaluator'],
  ['reward', '--reward', 'reward'],
  ['seed', '--seed', 'seed'],
  ['concurrency', '--concurrency', 'concurrency'],
  ['checkpointEvery', '--checkpoint-every', 'checkpointEvery'],
];

const COMPONENTS: readonly string[] = ['space', 'strategy', 'scheduler', 'evaluator'];

/**
 * Refuses the first flag that gives the stored experiment `name` another identity than `stored`'s.
 * `namesOnly`: `config` is the merged config before the components coerce their options (so only the
 * components' names are compared): that check runs before any plugin is loaded.
 */
export function checkResumeFlags(name: string, flags: SearchFlags & { backend?: string }, stored: RunConfig, config: RunConfig, namesOnly = false): void {
  const part = (c: RunConfig, field: keyof RunConfig) => JSON.stringify((namesOnly && COMPONENTS.includes(field) ? (c[field] as { name?: string } | undefined)?.name : c[field]) ?? null);
  const given = (key: string) => {
    const v = (flags as Record<string, unknown>)[key];
    return Array.isArray(v) ? v.length > 0 : v !== undefined;
  };
  for (const field of new Set(IDENTITY_FLAGS.map(([, , f]) => f))) {
    if (part(stored, field) === part(config, field)) continue;
    const named = IDENTITY_FLAGS.filter(([key, , f]) => f === field && given(key)).map(([, flag]) => flag);
    if (named.length === 0) continue;
    throw new StoreError(
      `experiment '${name}' was run with another config: ${named.join(' and ')} would change its ${field} (stored: ${JSON.stringify(stored[field] ?? null)}). ` +
        'A resume continues the stored config; it may change only the budget (--evaluations, --seconds, --max-trials), --top-k, the executor and --plugin',
    );
  }
}
