import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { describeError } from '../../core/describe-error.js';
import { ExecutorError } from '../../core/errors.js';
import type { Metrics } from '../../core/evaluator.js';
import type { JsonValue } from '../../core/json.js';
import { checkDeclaredOptions, resolveOptions } from '../../core/options.js';
import type { Registries } from '../../core/registry.js';
import type { SearchSpace } from '../../core/space.js';
import { checkMetrics } from '../../engine/check-metrics.js';
import { PoolExecutor } from '../pool-executor.js';
import { EXPERIMENTS_KEY, workerName } from './names.js';
import { pluginMismatch, type PluginIdentity } from './plugin-identity.js';
import { connectRedis, isConnectionError, redactUrl } from './redis.js';
import { parseTrialJob, type JobComponent, type TrialJob } from './trial-job.js';

export interface QueueWorkerOptions {
  readonly url: string;
  /** Trials run at once: the threads of this process's pool. */
  readonly concurrency: number;
  /** Take trials of this experiment only; default: of every experiment a driver is feeding. */
  readonly experiment?: string;
  /** Built-ins and this worker's plugins: what it may run. */
  readonly registries: Registries;
  /** This worker's plugin modules (absolute), loaded by its pool threads. */
  readonly plugins: readonly string[];
  readonly pluginIds: readonly PluginIdentity[];
  /** URL of the pool's worker-thread entry; default the pool's own. */
  readonly poolWorker?: string;
  /** Replaces the `backend` option of evaluators that have one (this machine's tensor backend). */
  readonly backend?: string;
  /** BullMQ's lock on a running job (ms): a worker silent this long has its trial put back. Default 30 s. */
  readonly lockMs?: number;
  /** Times a job may lose its worker before it fails (BullMQ's maxStalledCount; default 1). */
  readonly maxStalled?: number;
  /** How often the experiments being fed are listed (ms; default 2000). */
  readonly discoverMs?: number;
  readonly log?: (line: string) => void;
}

/** A job this worker will not run: failed at once (no retry elsewhere would do better with the same payload). */
const refuse = (message: string) => new UnrecoverableError(message);

/**
 * The service behind `tsnas worker`: one BullMQ worker per experiment queue it follows, all feeding one
 * Piscina pool of `concurrency` threads per evaluator setup. A job is run only after its payload has
 * been checked field by field, its plugins found to be this worker's own files, its components found in
 * this worker's registries with valid options and its genotype valid for the space with the key it
 * claims. Locks, stalled checks and retries are BullMQ's.
 */
export class QueueWorker {
  private readonly workers = new Map<string, Worker>();
  /** Experiments left after a setup failure or a plugin mismatch (they would fail every trial here). */
  private readonly left = new Set<string>();
  private readonly pools = new Map<string, { pool: PoolExecutor; active: number }>();
  private readonly spaces = new Map<string, SearchSpace>();
  private readonly connections: Redis[] = [];
  private readonly control: Redis;
  private readonly log: (line: string) => void;
  readonly name: string;
  private discovery: NodeJS.Timeout | undefined;
  private stopping = false;
  private redisDown = false;

  constructor(private readonly o: QueueWorkerOptions) {
    this.log = o.log ?? ((line) => process.stdout.write(`${line}\n`));
    this.name = workerName(o.concurrency);
    this.control = this.connect('control');
    this.control.on('error', (e) => this.down(e));
    // ioredis reconnects by itself and says so with 'ready'.
    this.control.on('ready', () => this.up());
  }

  private connect(role: string): Redis {
    const c = connectRedis(this.o.url, `tsnas-worker-${role}`);
    this.connections.push(c);
    return c;
  }

  private down(e: unknown): void {
    if (this.redisDown || this.stopping) return;
    this.redisDown = true;
    this.log(`Redis at ${redactUrl(this.o.url)} unreachable (${describeError(e)}); reconnecting`);
  }

  private up(): void {
    if (!this.redisDown) return;
    this.redisDown = false;
    this.log(`Redis at ${redactUrl(this.o.url)} reachable again`);
  }

  /** Starts taking trials: of `experiment`, or of every experiment listed now and later. */
  async start(): Promise<void> {
    this.log(`worker ${this.name}: ${this.o.concurrency} slot(s) on ${redactUrl(this.o.url)}, plugins: ${this.o.pluginIds.map((p) => p.name).join(', ') || 'none'}`);
    if (this.o.experiment !== undefined) {
      this.follow(this.o.experiment);
      return;
    }
    this.log('taking trials of every experiment a search is feeding');
    await this.discover();
    this.discovery = setInterval(() => void this.discover(), this.o.discoverMs ?? 2000);
  }

  private async discover(): Promise<void> {
    if (this.stopping) return;
    let names: string[];
    try {
      names = await this.control.smembers(EXPERIMENTS_KEY);
      this.up();
    } catch (e) {
      return this.down(e);
    }
    for (const name of names) if (!this.workers.has(name) && !this.left.has(name)) this.follow(name);
    for (const name of [...this.workers.keys()]) if (!names.includes(name)) void this.unfollow(name, 'its search ended');
  }

  private follow(queue: string): void {
    const worker = new Worker(queue, (job) => this.process(queue, job), {
      connection: this.connect(`queue-${queue}`),
      concurrency: this.o.concurrency,
      name: this.name,
      lockDuration: this.o.lockMs ?? 30_000,
      stalledInterval: this.o.lockMs ?? 30_000,
      maxStalledCount: this.o.maxStalled ?? 1,
    });
    // BullMQ's own complaints (a lock lost to a stalled check after an outage, say) are said as they are.
    worker.on('error', (e) => (isConnectionError(e) ? this.down(e) : this.log(`[${queue}] BullMQ: ${describeError(e)}`)));
    this.workers.set(queue, worker);
    this.log(`[${queue}] following`);
  }

  private async unfollow(queue: string, why: string): Promise<void> {
    const worker = this.workers.get(queue);
    if (!worker) return;
    this.workers.delete(queue);
    this.log(`[${queue}] leaving: ${why}`);
    await worker.close();
  }

  /** Fails the job and leaves the experiment: every later trial of it would fail here the same way. */
  private leave(queue: string, message: string): never {
    this.left.add(queue);
    setImmediate(() => void this.unfollow(queue, message));
    throw refuse(`worker ${this.name}: ${message}`);
  }

  private async process(queue: string, job: Job): Promise<Metrics> {
    let trial: TrialJob;
    try {
      trial = parseTrialJob(job.data);
    } catch (e) {
      this.log(`[${queue}] job ${job.id}: ${describeError(e)}`);
      throw refuse(describeError(e));
    }
    const { request } = trial;
    const mismatch = pluginMismatch(trial.plugins, this.o.pluginIds);
    if (mismatch !== undefined) this.leave(queue, mismatch);
    const evaluator = this.checkComponents(queue, trial);
    const begun = Date.now();
    this.log(`[${queue}] trial ${request.trial} started${job.attemptsStarted > 1 ? ` (again: attempt ${job.attemptsStarted})` : ''}`);
    void job.updateProgress({ worker: this.name, startedAt: begun }).catch(() => undefined);
    const limits = trial.limits;
    const setup = { space: trial.space, evaluator, plugins: this.o.plugins, cwd: process.cwd() };
    const key = JSON.stringify([setup, limits]);
    const entry = this.poolFor(key, () => new PoolExecutor(setup, { ...(this.o.poolWorker ? { worker: this.o.poolWorker } : {}), workers: this.o.concurrency, ...limits }));
    entry.active++;
    try {
      const metrics = checkMetrics(await entry.pool.run(request));
      this.log(`[${queue}] trial ${request.trial} done in ${((Date.now() - begun) / 1000).toFixed(1)} s`);
      return metrics;
    } catch (e) {
      // The pool's wording ("...; the search stops") is the pool's: here only this worker gives up on the experiment.
      if (e instanceof ExecutorError) this.leave(queue, e.message.split('; the search stops')[0] as string);
      this.log(`[${queue}] trial ${request.trial} failed: ${describeError(e)}`);
      // Failed where it ran, as with the pool: the reason is the trial's, another worker would meet it too.
      throw refuse(describeError(e));
    } finally {
      entry.active--;
    }
  }

  /** Checks names, options and the genotype against this worker's registries; the evaluator config to run. */
  private checkComponents(queue: string, trial: TrialJob): JobComponent {
    const { registries } = this.o;
    let evaluator = trial.evaluator;
    let space: SearchSpace;
    try {
      const spaceFactory = registries.spaces.get(trial.space.name);
      const evaluatorFactory = registries.evaluators.get(trial.evaluator.name);
      resolveOptions('space.options', spaceFactory.options, trial.space.options);
      if (this.o.backend !== undefined && 'backend' in evaluatorFactory.options) evaluator = { ...evaluator, options: { ...evaluator.options, backend: this.o.backend } };
      checkDeclaredOptions('evaluator.options', evaluatorFactory.options, evaluator.options);
      const spaceKey = JSON.stringify(trial.space);
      space = this.spaces.get(spaceKey) ?? spaceFactory.create(trial.space.options);
      this.spaces.set(spaceKey, space);
    } catch (e) {
      return this.leave(queue, describeError(e));
    }
    try {
      const genotype = space.validate(trial.request.genotype);
      if (space.canonical(genotype) !== trial.request.key) throw new Error(`its genotype is ${space.canonical(genotype)}, not the key ${trial.request.key}`);
    } catch (e) {
      throw refuse(`bad trial job payload: request.genotype: ${describeError(e)}`);
    }
    return evaluator as { name: string; options: Record<string, JsonValue> };
  }

  /** The pool of a setup; pools of other setups with nothing running are closed (their threads hold memory). */
  private poolFor(key: string, make: () => PoolExecutor): { pool: PoolExecutor; active: number } {
    let entry = this.pools.get(key);
    if (entry) return entry;
    for (const [k, other] of this.pools) {
      if (other.active > 0) continue;
      this.pools.delete(k);
      void other.pool.close();
    }
    entry = { pool: make(), active: 0 };
    this.pools.set(key, entry);
    return entry;
  }

  /** Stops taking trials, waits for the running ones to finish and report, and disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.discovery);
    await Promise.all([...this.workers.values()].map((w) => w.close()));
    this.workers.clear();
    await Promise.all([...this.pools.values()].map((p) => p.pool.close()));
    for (const c of this.connections) c.disconnect();
  }
}
