import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { EvaluationRequest, Evaluator, Metrics } from '../core/evaluator.js';
import { describeError } from '../core/describe-error.js';
import type { Executor } from '../core/executor.js';
import { RECEIVED, STARTED, type PoolSetup, type PoolTask } from './pool-task.js';
import { describeFault } from './worker-faults.js';

export interface PoolExecutorOptions {
  /** URL of the worker entry module (default export: PoolTask -> Metrics); default POOL_WORKER. */
  readonly worker?: string;
  /** Worker threads, each running one evaluation at a time; default one per core. */
  readonly workers?: number;
  /**
   * Fail (and terminate the worker of) a trial whose evaluation runs longer, counted from its start in
   * the worker (after the worker's one-time setup); 0 = no limit.
   */
  readonly trialTimeoutSeconds?: number;
  /**
   * Limit on a worker's one-time setup (building the evaluator), counted from when the worker takes the
   * task; exceeding it stops the search (every trial needs that setup). 0 = the trial timeout.
   */
  readonly setupTimeoutSeconds?: number;
  /** V8 heap limit of each worker (old generation), in MB; 0 = Node's default. */
  readonly memoryLimitMb?: number;
  /** The main thread's instance of the evaluator (read for its metric names), closed with the pool. */
  readonly mainEvaluator?: Evaluator;
}

/**
 * The worker entry the threads start from: an entry point of the composition root, like bin/tsnas.js,
 * named by URL and never imported, so this folder stays below the wiring. It registers the evaluation
 * built-ins and the setup's plugins.
 */
export const POOL_WORKER = new URL('../wiring/pool-worker.js', import.meta.url).href;

/**
 * Runs evaluations in Piscina worker threads, one per worker at a time. Tasks carry only plain data
 * (configs and the request); each worker builds the evaluator once and keeps it. A worker that dies
 * (exception outside a task, process.exit, heap limit) or is terminated (timeout, cancellation)
 * fails only its trial and is replaced by Piscina.
 */
export class PoolExecutor implements Executor {
  readonly capacity: number;
  private readonly pool: Piscina<PoolTask, Metrics>;
  private readonly timeoutSeconds: number;
  private readonly setupTimeoutSeconds: number;
  private readonly memoryLimitMb: number;
  /** Set once no worker is left and Piscina will start no more (they failed while starting): why. */
  private broken: string | undefined;
  private lastWorkerError = 'a worker exited while starting';
  private closing = false;
  /** Per task in flight: what to do when its worker takes it up, and how to abort it. */
  private readonly onReceived = new Map<number, () => void>();
  private readonly controllers = new Map<number, AbortController>();
  private readonly mainEvaluator: Evaluator | undefined;
  private nextTask = 0;
  /** Per task in flight: what to do when its worker reports that the evaluation started. */
  private readonly onStarted = new Map<number, () => void>();

  constructor(
    private readonly setup: PoolSetup,
    options: PoolExecutorOptions = {},
  ) {
    this.mainEvaluator = options.mainEvaluator;
    this.capacity = options.workers || availableParallelism();
    this.timeoutSeconds = options.trialTimeoutSeconds ?? 0;
    this.setupTimeoutSeconds = options.setupTimeoutSeconds || this.timeoutSeconds;
    this.memoryLimitMb = options.memoryLimitMb ?? 0;
    this.pool = new Piscina<PoolTask, Metrics>({
      filename: options.worker ?? POOL_WORKER,
      minThreads: this.capacity,
      maxThreads: this.capacity,
      // Atomics.wait between tasks would freeze timers and I/O an evaluator leaves running (e.g. a
      // data prefetch); message passing costs little next to an evaluation.
      atomics: 'disabled',
      ...(this.memoryLimitMb > 0 ? { resourceLimits: { maxOldGenerationSizeMb: this.memoryLimitMb } } : {}),
    });
    // A worker that fails between tasks has no trial to fail; Piscina replaces it. Without a
    // listener the 'error' event would take down the whole search.
    this.pool.on('error', (e: unknown) => {
      this.lastWorkerError = describeError(e);
      process.emitWarning(`tsnas: a pool worker failed outside a trial: ${this.lastWorkerError}`);
    });
    // Piscina replaces a dead worker, except after one died while starting: then, once none is left, a
    // task would wait forever (and the process exit with nothing said). Fail the tasks instead.
    this.pool.on('workerDestroy', () => setImmediate(() => this.checkAlive()));
    this.pool.on('message', (m: unknown) => {
      const r = m as Record<string, unknown> | null;
      const received = r?.[RECEIVED];
      if (typeof received === 'number') this.onReceived.get(received)?.();
      const id = r?.[STARTED];
      if (typeof id === 'number') this.onStarted.get(id)?.();
    });
  }

  private checkAlive(): void {
    if (this.closing || this.broken !== undefined || this.pool.threads.length > 0) return;
    this.broken = this.lastWorkerError;
    for (const c of this.controllers.values()) c.abort();
  }

  /** Live worker threads (replacements included). */
  get threads(): number {
    return this.pool.threads.length;
  }

  async run(request: EvaluationRequest): Promise<Metrics> {
    const { signal, ...plain } = request;
    const id = this.nextTask++;
    // One controller per task: aborting it makes Piscina terminate the worker running the task.
    const controller = new AbortController();
    let timedOut = false;
    let setupTimedOut = false;
    let timer: NodeJS.Timeout | undefined;
    let setupTimer: NodeJS.Timeout | undefined;
    if (this.setupTimeoutSeconds > 0) {
      this.onReceived.set(id, () => {
        setupTimer = setTimeout(() => {
          setupTimedOut = true;
          controller.abort();
        }, this.setupTimeoutSeconds * 1000);
      });
    }
    this.onStarted.set(id, () => {
      clearTimeout(setupTimer);
      if (this.timeoutSeconds > 0) {
        timer = setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, this.timeoutSeconds * 1000);
      }
    });
    this.controllers.set(id, controller);
    if (this.broken !== undefined) controller.abort();
    const cancel = () => controller.abort();
    if (signal?.aborted) cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await this.pool.run({ id, setup: this.setup, request: plain }, { signal: controller.signal });
    } catch (e) {
      throw describeFault(e, {
        trial: request.trial,
        timedOut,
        timeoutSeconds: this.timeoutSeconds,
        ...(setupTimedOut ? { setupTimedOut: this.setupTimeoutSeconds } : {}),
        ...(this.broken !== undefined ? { poolBroken: this.broken } : {}),
        cancelled: signal?.aborted ?? false,
        memoryLimitMb: this.memoryLimitMb,
      });
    } finally {
      // The started message travels apart from the result and may come after it: forget the task.
      this.onStarted.delete(id);
      this.onReceived.delete(id);
      this.controllers.delete(id);
      clearTimeout(timer);
      clearTimeout(setupTimer);
      signal?.removeEventListener('abort', cancel);
    }
  }

  /** Terminates the workers (the engine has no evaluation outstanding when it closes the executor). */
  async close(): Promise<void> {
    this.closing = true;
    await this.pool.destroy();
    await this.mainEvaluator?.close?.();
  }
}
