import type { Evaluator } from '../core/evaluator.js';
import type { Executor } from '../core/executor.js';
import { ConfigError } from '../core/errors.js';
import type { RunConfig } from '../engine/config.js';
import { InlineExecutor } from '../exec/inline-executor.js';
import { PoolExecutor } from '../exec/pool-executor.js';

export { POOL_WORKER } from '../exec/pool-executor.js';

/**
 * The executor a run config names. The pool builds its own evaluators in the workers from the same
 * configs; the main thread's `evaluator` still supplies metric names for the reward.
 */
export function createExecutor(config: RunConfig, evaluator: Evaluator): Executor {
  const executor = config.executor ?? { name: 'inline', options: {} };
  if (executor.name === 'inline') return new InlineExecutor(evaluator, config.concurrency);
  // It needs the experiment's name and a Redis URL, which no stored config holds: `tsnas search` builds it.
  if (executor.name === 'queue') throw new ConfigError('executor', "the queue executor is built by 'tsnas search --executor queue --redis URL', not from a config alone");
  return new PoolExecutor({ space: config.space, evaluator: config.evaluator, plugins: config.plugins, cwd: process.cwd() }, { ...executor.options, mainEvaluator: evaluator });
}
