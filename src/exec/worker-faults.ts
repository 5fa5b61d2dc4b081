/** How a pooled evaluation ended, besides returning metrics or rejecting with the evaluator's error. */
export interface FaultContext {
  readonly trial: number;
  /** The per-trial timeout fired. */
  readonly timedOut: boolean;
  readonly timeoutSeconds: number;
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
  if (c.timedOut) return new Error(`trial timed out after ${c.timeoutSeconds} s`, { cause: e });
  if (c.cancelled) return new TrialCancelledError(c.trial);
  if (!(e instanceof Error)) return e;
  if ((e as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new Error(c.memoryLimitMb > 0 ? `worker ran out of memory (limit ${c.memoryLimitMb} MB)` : 'worker ran out of memory', { cause: e });
  }
  const exit = /^worker exited with code: (-?\d+)$/.exec(e.message);
  if (exit) return new Error(`worker exited with code ${exit[1]}`, { cause: e });
  return e;
}
