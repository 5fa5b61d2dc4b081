import type { Evaluator } from '../core/evaluator.js';
import type { Executor } from '../core/executor.js';
import type { RunConfig } from '../engine/config.js';
import { pluginIdentity } from '../exec/queue/plugin-identity.js';
import { QueueExecutor } from '../exec/queue/queue-executor.js';
import { redisUrl } from '../exec/queue/redis.js';

/**
 * `tsnas search --executor queue`: the executor, built from the run config, the experiment's name (its
 * queue) and a Redis URL that is never stored with the experiment (it may hold a password). Undefined
 * for the other executors. Everything is checked here, before the search builds anything.
 */
export function queueExecutorFor(config: RunConfig, name: string, flags: { redis?: string; concurrency?: string }): ((evaluator: Evaluator) => Executor) | undefined {
  if (config.executor?.name !== 'queue') return undefined;
  const url = redisUrl(flags.redis);
  const plugins = config.plugins.map((p) => pluginIdentity(p));
  const o = config.executor.options;
  return (evaluator) =>
    new QueueExecutor({
      url,
      queue: name,
      space: config.space,
      evaluator: config.evaluator,
      plugins,
      limits: { trialTimeoutSeconds: o.trialTimeoutSeconds ?? 0, setupTimeoutSeconds: o.setupTimeoutSeconds ?? 0, memoryLimitMb: o.memoryLimitMb ?? 0 },
      // --concurrency caps the trials in flight; without it, as many as the workers have slots.
      maxInFlight: flags.concurrency !== undefined ? config.concurrency : 0,
      mainEvaluator: evaluator,
    });
}

/** Waits for a queue executor to reach Redis and count its workers, so the first ask fills them. */
export async function queueReady(executor: Executor): Promise<void> {
  if (executor instanceof QueueExecutor) await executor.ready();
}
