import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { describeError } from '../../core/describe-error.js';
import type { EvaluationRequest, Evaluator, Metrics } from '../../core/evaluator.js';
import { ExecutorError } from '../../core/errors.js';
import type { Executor } from '../../core/executor.js';
import { TrialCancelledError } from '../worker-faults.js';
import { EXPERIMENTS_KEY, slotsOf, TRIAL_JOB } from './names.js';
import type { PluginIdentity } from './plugin-identity.js';
import { connectRedis, isConnectionError, redactUrl } from './redis.js';
import { TRIAL_JOB_VERSION, trialJobId, type JobComponent, type TrialJob, type TrialLimits } from './trial-job.js';

export interface QueueExecutorOptions {
  /** redis:// or rediss:// URL (a password in it is never printed). */
  readonly url: string;
  /** The BullMQ queue: the experiment's name. */
  readonly queue: string;
  readonly space: JobComponent;
  readonly evaluator: JobComponent;
  readonly plugins: readonly PluginIdentity[];
  readonly limits: TrialLimits;
  /** Cap on trials in flight (0: as many as the connected workers have slots). */
  readonly maxInFlight?: number;
  /** How often the connected workers are counted and the jobs awaited are looked up (ms; default 1000). */
  readonly pollMs?: number;
  /** The driver's instance of the evaluator (metric names), closed with the executor. */
  readonly mainEvaluator?: Evaluator;
  /** Where it says what it is waiting for (no worker yet, Redis down); default stderr. */
  readonly log?: (line: string) => void;
}

interface Waiter {
  readonly job: TrialJob;
  readonly resolve: (m: Metrics) => void;
  readonly reject: (e: unknown) => void;
}

/** How long a starting driver waits for workers to show up before it says there are none. */
const WORKER_WAIT_MS = 3000;

/** How long closing waits for an unreachable Redis. */
const CLOSE_MS = 3000;

/** Runs `work`, giving up (silently) after `ms`: for the clean-up of a connection that may be gone. */
async function within(ms: number, work: () => Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/** How BullMQ words a job that lost its worker more often than the workers' maxStalledCount allows. */
const STALLED = /stalled more than allowable limit/i;

/** The recorded reason of a failed job: BullMQ's wording of its own failures made about the trial. */
export function failureReason(failedReason: string | undefined): string {
  if (failedReason === undefined || failedReason === '') return 'the trial failed on a worker (no reason given)';
  if (STALLED.test(failedReason)) return 'trial lost its worker too many times (worker processes killed or machines lost while running it)';
  return failedReason;
}

/**
 * Runs each evaluation as a BullMQ job on the experiment's queue and awaits its result; `tsnas worker`
 * processes anywhere take them. The driver keeps the store and the strategy, so resume, caching,
 * budgets and rungs are the engine's as with the pool. BullMQ does the distribution: a worker that
 * dies mid-trial stops renewing the job's lock, its stalled check puts the job back and another worker
 * runs it; a failed job carries the worker's reason. Results are taken from BullMQ's events and, in
 * case an event was missed (Redis restarted, the connection dropped), from a periodic look at each
 * awaited job, which also adds again a job that Redis lost.
 */
export class QueueExecutor implements Executor {
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly connections: Redis[] = [];
  /** For tsnas's own key (the experiments listing) next to BullMQ's. */
  private readonly control: Redis;
  private readonly waiting = new Map<string, Waiter>();
  private readonly timer: NodeJS.Timeout;
  private readonly started: Promise<void>;
  private readonly log: (line: string) => void;
  private slots = 0;
  /** The engine's listeners for a capacity that grew (workers joined). */
  private readonly growth = new Set<() => void>();
  private redisDown = false;
  private polling = false;
  private closed = false;

  constructor(private readonly o: QueueExecutorOptions) {
    this.log = o.log ?? ((line) => process.stderr.write(`${line}\n`));
    const connection = (role: string) => {
      const c = connectRedis(o.url, `tsnas-driver-${role}`);
      this.connections.push(c);
      return c;
    };
    this.queue = new Queue(o.queue, { connection: connection('queue') });
    this.events = new QueueEvents(o.queue, { connection: connection('events') });
    this.control = connection('control');
    const down = (e: unknown) => {
      if (this.closed) return;
      if (!isConnectionError(e)) return this.log(`queue: BullMQ: ${describeError(e)}`);
      if (this.redisDown) return;
      this.redisDown = true;
      this.log(`queue: Redis at ${redactUrl(o.url)} unreachable (${describeError(e)}); retrying, trials in flight keep running on their workers`);
    };
    this.queue.on('error', down);
    this.control.on('error', down);
    this.events.on('error', down);
    this.events.on('completed', ({ jobId, returnvalue }) => this.settle(jobId, { value: returnvalue }));
    this.events.on('failed', ({ jobId, failedReason }) => this.settle(jobId, { error: failureReason(failedReason) }));
    this.timer = setInterval(() => void this.poll(), o.pollMs ?? 1000);
    this.timer.unref();
    this.started = this.start();
    // Awaited by every run; a failure here is reported there, not as an unhandled rejection.
    this.started.catch(() => undefined);
  }

  /** Trials in flight at once: the slots of the workers connected now (at least 1: jobs wait in Redis for one), under the cap. */
  get capacity(): number {
    const n = Math.max(1, this.slots);
    return this.o.maxInFlight ? Math.min(n, this.o.maxInFlight) : n;
  }

  /** Resolves once the queue is reachable and the workers have been counted (so the first ask is the right size). */
  ready(): Promise<void> {
    return this.started;
  }

  private async start(): Promise<void> {
    const slow = setTimeout(() => this.log(`queue: waiting for Redis at ${redactUrl(this.o.url)}`), 3000);
    try {
      await Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady()]);
    } finally {
      clearTimeout(slow);
    }
    await this.control.sadd(EXPERIMENTS_KEY, this.o.queue);
    // Workers not told of this experiment (no --experiment) find it within their discovery period.
    for (let waited = 0; ; waited += 250) {
      await this.countWorkers();
      if (this.slots > 0 || waited >= WORKER_WAIT_MS) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    if (this.slots === 0) this.log(`queue '${this.o.queue}': no worker connected yet; trials wait in Redis until one is (tsnas worker --redis URL)`);
  }

  private async countWorkers(): Promise<void> {
    const workers = await this.queue.getWorkers();
    const before = this.capacity;
    this.slots = workers.reduce((n, w) => n + slotsOf(w.rawname), 0);
    if (this.capacity > before) for (const l of [...this.growth]) l();
  }

  onCapacityGrowth(listener: () => void): () => void {
    this.growth.add(listener);
    return () => this.growth.delete(listener);
  }

  private async poll(): Promise<void> {
    // While Redis is down a poll waits for it; one at a time, not one more every second.
    if (this.closed || this.polling) return;
    this.polling = true;
    try {
      await this.countWorkers();
      for (const id of [...this.waiting.keys()]) await this.check(id);
      if (this.redisDown) this.log(`queue: Redis at ${redactUrl(this.o.url)} reachable again`);
      this.redisDown = false;
    } catch {
      // Redis unreachable: the error listeners have said so; the next poll tries again.
    } finally {
      this.polling = false;
    }
  }

  /** Looks the job up: delivers a result the events did not, adds again a job Redis lost. */
  private async check(id: string): Promise<void> {
    const waiter = this.waiting.get(id);
    if (!waiter) return;
    const state = await this.queue.getJobState(id);
    if (state === 'unknown') {
      await this.queue.add(TRIAL_JOB, waiter.job, { jobId: id });
      return;
    }
    if (state !== 'completed' && state !== 'failed') return;
    // Read once finished: a job read before its state could still lack the result.
    const job = await this.queue.getJob(id);
    if (!job) return;
    if (state === 'completed') this.settle(id, { value: job.returnvalue });
    else this.settle(id, { error: failureReason(job.failedReason) });
  }

  private settle(id: string, outcome: { value: unknown } | { error: string }): void {
    const waiter = this.waiting.get(id);
    if (!waiter) return;
    this.waiting.delete(id);
    if ('error' in outcome) return waiter.reject(new Error(outcome.error));
    // Events carry the return value as JSON text or parsed, depending on the path; the engine checks the metrics.
    let value = outcome.value;
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value) as unknown;
      } catch {
        // Left as it is: the engine's metric check names it.
      }
    }
    waiter.resolve(value as Metrics);
  }

  run(request: EvaluationRequest): Promise<Metrics> {
    const { signal, ...plain } = request;
    const job: TrialJob = { v: TRIAL_JOB_VERSION, space: this.o.space, evaluator: this.o.evaluator, plugins: this.o.plugins, limits: this.o.limits, request: plain };
    const id = trialJobId(job);
    return new Promise<Metrics>((resolve, reject) => {
      // Cancelling leaves the job to its worker: the trial stays running, and a resume, asking for the
      // same job id, is given its result.
      const cancel = () => {
        if (this.waiting.delete(id)) reject(new TrialCancelledError(request.trial));
      };
      this.waiting.set(id, {
        job,
        resolve: (m) => (signal?.removeEventListener('abort', cancel), resolve(m)),
        reject: (e) => (signal?.removeEventListener('abort', cancel), reject(e)),
      });
      if (signal?.aborted) return cancel();
      signal?.addEventListener('abort', cancel, { once: true });
      // An id already in the queue (a resumed driver's trial) is not added twice: BullMQ keeps the job as it is.
      this.started.then(
        () =>
          this.queue
            .add(TRIAL_JOB, job, { jobId: id })
            .then(() => this.check(id))
            .catch((e: unknown) => {
              // Redis went away between add and check: the poll finds the job (or adds it) once Redis is back.
              if (!this.closed) this.log(`queue: trial ${request.trial}: ${describeError(e)}; retrying`);
            }),
        (e: unknown) => {
          if (this.waiting.delete(id)) reject(new ExecutorError(`queue: cannot use Redis at ${redactUrl(this.o.url)}: ${describeError(e)}`, { cause: e }));
        },
      );
    });
  }

  /**
   * Stops listening and closes the connections. The experiment stays listed for `tsnas worker` while
   * jobs of it are still queued or running (a stopped search's, which a resume picks up).
   */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    // Commands wait for Redis (maxRetriesPerRequest: null): with it down, give up after a while.
    await within(CLOSE_MS, async () => {
      const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).every((n) => n === 0)) await this.control.srem(EXPERIMENTS_KEY, this.o.queue);
    });
    await within(CLOSE_MS, () => Promise.all([this.events.close(), this.queue.close()]));
    for (const c of this.connections) c.disconnect();
    await this.o.mainEvaluator?.close?.();
  }
}
