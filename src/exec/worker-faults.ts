import { describeError } from '../core/describe-error.js';
import { ExecutorError } from '../core/errors.js';
import { SETUP_FAILED } from './pool-task.js';

/** How a pooled evaluation ended, besides returning metrics or rejecting with the evaluator's error. */
export interface FaultContext {
  readonly trial: number;
  /** The per-trial timeout fired. */
  readonly timedOut: boolean;
  readonly timeoutSeconds: number;
  /** The worker's setup timeout fired (its seconds), before the evaluation began. */
  readonly setupTimedOut?: number;
  /** Why no worker of the pool is left to run anything (they die while starting). */
  readonly poolBroken?: string;
  /** The engine's stop signal fired (the user cancelled running trials). */
  readonly cancelled: boolean;
  readonly memoryLimitMb: number;
}

/** A trial cancelled by the user: the engine keeps it `running`, so a resume evaluates it again. */
export class TrialCancelledError extends Error {
  constructor(trial: number) {
    super(`trial ${trial} cancelled`);
    this.name = 'TrialCancelledError';
  }
}

/**
 * Turns what Piscina rejected a task with into the reason recorded for the trial. Piscina's own
 * errors describe its mechanics ("The task has been aborted", "worker exited with code: 1"); the
 * trial record should say what happened to the evaluation.
 */
export function describeFault(e: unknown, c: FaultContext): unknown {
  // The executor's own failures (ExecutorError) stop the search: every trial would meet them.
  if (c.poolBroken !== undefined) return new ExecutorError(`no pool worker can start (${c.poolBroken}); the search stops: check --worker-memory and the plugins`, { cause: e });
  if (c.setupTimedOut !== undefined) {
    return new ExecutorError(`a worker's setup (building the evaluator, for trial ${c.trial}) took more than ${c.setupTimedOut} s; the search stops, as every trial needs it (--setup-timeout)`, { cause: e });
  }
  if (c.timedOut) return new Error(`trial timed out after ${c.timeoutSeconds} s`, { cause: e });
  if (c.cancelled) return new TrialCancelledError(c.trial);
  if (!(e instanceof Error)) return new Error(describeError(e));
  if (e.message.startsWith(SETUP_FAILED)) return new ExecutorError(`${e.message}; the search stops, as every trial needs the evaluator`, { cause: e });
  if ((e as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new Error(c.memoryLimitMb > 0 ? `worker ran out of memory (limit ${c.memoryLimitMb} MB)` : 'worker ran out of memory', { cause: e });
  }
  const exit = /^worker exited with code: (-?\d+)$/.exec(e.message);
  if (exit) return new Error(`worker exited with code ${exit[1]}`, { cause: e });
  return e;
}
