// tsyringe needs the Reflect metadata polyfill loaded before it, whoever imports the engine first.
import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { checkJson } from '../core/check-json.js';
import { describeError } from '../core/describe-error.js';
import { ExecutorError, StoreError, TsnasError } from '../core/errors.js';
import type { Metrics } from '../core/evaluator.js';
import type { Executor } from '../core/executor.js';
import type { JsonValue } from '../core/json.js';
import type { Scheduler } from '../core/scheduler.js';
import type { SearchSpace } from '../core/space.js';
import type { ExperimentStore } from '../core/store.js';
import type { Strategy } from '../core/strategy.js';
import { countsAsEvaluation, type EngineCheckpoint, type RungRecord, type TrialRecord } from '../core/trial.js';
import type { RewardExpression } from './reward.js';
import { bestTrial } from './best-trial.js';
import { checkMetrics } from './check-metrics.js';
import type { EngineOptions } from './options.js';
import { restoreFrom, SearchEngine, type SearchOutcome, type StopReason } from './search-engine.js';
import { TOKENS } from './tokens.js';
import { TrialDirs } from './trial-dirs.js';

type RungResult = { readonly metrics: Metrics; readonly reward: number } | { readonly error: string };

/**
 * The search loop with a multi-fidelity scheduler. Whenever an executor slot is free the scheduler
 * decides: promote a paused trial to a higher rung, or start a new one (the strategy proposes it), at a
 * resource the evaluator trains up to, continuing from the trial's state folder. The strategy is told a
 * trial when its first rung finishes and gets each later rung through `update`.
 *
 * Every decision and every finished rung is stored at once with a checkpoint of strategy, scheduler and
 * the rungs in flight (nothing is replayed, unlike the single-fidelity loop), so a search killed at any
 * point loses no finished rung and a resume runs again exactly the rungs that were in flight.
 */
@injectable()
export class MultiFidelityEngine extends SearchEngine {
  /** Every trial's latest record. */
  private readonly records = new Map<number, TrialRecord>();
  /** Trials whose first rung finished: the strategy has been told them. */
  private readonly told = new Set<number>();
  /** Rungs being evaluated: trial -> resource. */
  private readonly running = new Map<number, number>();
  /** Duplicates waiting for the first rung of the trial evaluating their architecture: trial -> that trial. */
  private readonly waiting = new Map<number, number>();
  /** Rungs cancelled by the stop signal: in flight in every checkpoint, so a resume runs them again. */
  private readonly cancelledRungs = new Map<number, number>();
  /** Strategy, scheduler and store are used by one step at a time (tells and asks may be async). */
  private serial: Promise<unknown> = Promise.resolve();
  private dirs: TrialDirs | undefined;

  constructor(
    @inject(TOKENS.Space) space: SearchSpace,
    @inject(TOKENS.Strategy) strategy: Strategy,
    @inject(TOKENS.Executor) executor: Executor,
    @inject(TOKENS.Store) store: ExperimentStore,
    @inject(TOKENS.Reward) reward: RewardExpression,
    @inject(TOKENS.EngineOptions) options: EngineOptions,
    @inject(TOKENS.Scheduler) private readonly scheduler: Scheduler,
  ) {
    super(space, strategy, executor, store, reward, options);
  }

  override async run(signal?: AbortSignal): Promise<SearchOutcome> {
    this.startedAt = Date.now();
    this.cancelSignal = this.options.cancelOnStop ? signal : undefined;
    this.dirs = TrialDirs.for(this.store);
    try {
      for (const r of this.restoreRungs()) this.launch(this.records.get(r.trial) as TrialRecord, r.resource);
      for (const t of this.records.values()) if (t.status === 'running' && t.cachedFrom !== null) this.wait(t);
      let stoppedBy: StopReason | null = null;
      while (this.failure === null) {
        stoppedBy = signal?.aborted ? 'signal' : this.elapsedMs() >= this.options.maxSeconds * 1000 ? 'seconds' : null;
        if (stoppedBy === null && this.running.size < this.executor.capacity) {
          const budget = this.evaluations >= this.options.maxEvaluations ? 'evaluations' : this.nextTrial >= this.options.maxTrials ? 'trials' : null;
          try {
            if (await this.serially(() => this.decide(budget === null))) continue;
          } catch (e) {
            // A bad decision or proposal ends the search once the rungs in flight have been recorded.
            this.failure ??= e;
            break;
          }
          stoppedBy = budget;
          if (budget === null && this.inFlight.size === 0) this.failure = new TsnasError('the scheduler has nothing to run although the budget allows new trials');
        }
        if (this.inFlight.size === 0) break;
        await this.progress();
      }
      await Promise.allSettled(this.inFlight.values());
      if (this.failure !== null) throw this.failure;
      this.store.saveCheckpoint(this.rungCheckpoint());
      return { trials: this.store.trials(), best: this.best, evaluations: this.evaluations, stoppedBy: stoppedBy ?? 'signal' };
    } finally {
      this.dirs.release();
    }
  }

  private serially<T>(step: () => T | Promise<T>): Promise<T> {
    const next = this.serial.then(step);
    this.serial = next.catch(() => undefined);
    return next;
  }

  /** Asks the scheduler what to run in a free slot; false when it has nothing now. */
  private async decide(canStart: boolean): Promise<boolean> {
    if (this.failure !== null) return true;
    const d = this.scheduler.next(canStart);
    if (d.kind === 'wait') return false;
    if (!this.scheduler.levels.includes(d.resource)) throw new TsnasError(`the scheduler asked for resource ${d.resource}, which is not one of its levels (${this.scheduler.levels.join(', ')})`);
    if (d.kind === 'promote') {
      this.promote(d.trial, d.resource);
      return true;
    }
    if (!canStart) throw new TsnasError('the scheduler started a trial although the budget allows no new one');
    await this.start(d.resource);
    return true;
  }

  private async start(resource: number): Promise<void> {
    const [proposal] = await this.strategy.ask(1);
    if (!proposal) throw new TsnasError('strategy proposed nothing');
    const draft = this.draft(proposal, this.nextTrial++);
    const hit = this.cache.get(draft.key);
    if (hit) {
      const rec = this.cachedRecord(draft, hit);
      await this.strategy.tell(this.feedbackOf(rec));
      this.records.set(rec.number, rec);
      this.store.putTrial(rec, this.rungCheckpoint());
      this.emit('trial', rec, false);
      return;
    }
    // The same architecture at its first rung: wait for it rather than train it twice (no slot needed).
    const first = [...this.running.keys()].find((n) => !this.told.has(n) && this.records.get(n)?.key === draft.key);
    if (first !== undefined) {
      const waiting: TrialRecord = { ...this.runningRecord(draft), cachedFrom: first };
      this.records.set(waiting.number, waiting);
      this.waiting.set(waiting.number, first);
      this.store.putTrial(waiting, this.rungCheckpoint());
      this.wait(waiting);
      return;
    }
    this.evaluations++;
    const rec = this.runningRecord(draft);
    this.records.set(rec.number, rec);
    this.scheduler.started(rec.number, resource);
    this.running.set(rec.number, resource);
    this.store.putTrial(rec, this.rungCheckpoint());
    this.launch(rec, resource);
  }

  /** A waiting duplicate: once its original's first rung is recorded, answered with its result or failure. */
  private wait(rec: TrialRecord): void {
    this.waiting.set(rec.number, rec.cachedFrom as number);
    const first = this.inFlight.get(rec.cachedFrom as number);
    const settle = async () => {
      if (this.failure !== null) return;
      const source = this.records.get(rec.cachedFrom as number);
      const hit = this.cache.get(rec.key);
      // The original was cancelled before its first rung ended: both stay in flight for a resume.
      if (!hit && !this.told.has(rec.cachedFrom as number)) return;
      const done: TrialRecord = hit
        ? { ...this.cachedRecord(rec, hit), finishedAt: Date.now() }
        : { ...rec, status: 'failed', finishedAt: Date.now(), error: `same architecture as trial ${rec.cachedFrom}, which failed: ${source?.error}` };
      await this.strategy.tell(this.feedbackOf(done));
      this.waiting.delete(rec.number);
      this.records.set(done.number, done);
      this.store.putTrial(done, this.rungCheckpoint());
      this.emit('trial', done, false);
    };
    this.track(rec.number, (first ?? Promise.resolve()).then(() => this.serially(settle)));
  }

  private promote(trial: number, resource: number): void {
    const rec = this.records.get(trial);
    if (!rec || rec.status !== 'stopped' || rec.resource === undefined || resource <= rec.resource) {
      throw new TsnasError(`the scheduler promoted trial ${trial} to ${resource}, but it is ${rec ? `${rec.status} at ${rec.resource ?? 'no rung'}` : 'not a trial'}`);
    }
    // The record keeps its last rung's metrics while the next one runs.
    const running: TrialRecord = { ...rec, status: 'running' };
    this.records.set(trial, running);
    this.running.set(trial, resource);
    this.store.putTrial(running, this.rungCheckpoint());
    this.launch(running, resource);
  }

  private launch(rec: TrialRecord, resource: number): void {
    this.running.set(rec.number, resource);
    this.track(rec.number, this.runRung(rec, resource));
  }

  private async runRung(rec: TrialRecord, resource: number): Promise<void> {
    this.emit('start', rec);
    const cancel = this.cancelSignal;
    let result: RungResult;
    let metrics: Metrics;
    try {
      const stateDir = (this.dirs as TrialDirs).of(rec.number);
      metrics = await this.executor.run({ trial: rec.number, genotype: rec.genotype, key: rec.key, seed: rec.seed, fidelity: { resource, stateDir }, ...(cancel ? { signal: cancel } : {}) });
    } catch (e) {
      // As in the single-fidelity loop: once the user cancelled, the rung stays in flight for a resume.
      if (cancel?.aborted) {
        this.running.delete(rec.number);
        this.cancelledRungs.set(rec.number, resource);
        return;
      }
      if (e instanceof ExecutorError) throw e;
      return this.serially(() => this.finishRung(rec.number, resource, { error: describeError(e) }));
    }
    try {
      const checked = checkMetrics(metrics);
      result = { metrics: checked, reward: this.reward.compute(checked) };
    } catch (e) {
      result = { error: describeError(e) };
    }
    await this.serially(() => this.finishRung(rec.number, resource, result));
  }

  /** Feeds the strategy and the scheduler, and stores rung, trial and checkpoint in one transaction. */
  private async finishRung(trial: number, resource: number, result: RungResult): Promise<void> {
    // After a failure nothing more is recorded, as if the process had died.
    if (this.failure !== null) return;
    const prev = this.records.get(trial) as TrialRecord;
    const finishedAt = Date.now();
    const top = resource === this.scheduler.levels[this.scheduler.levels.length - 1];
    const rec: TrialRecord =
      'error' in result
        ? { ...prev, status: 'failed', metrics: null, reward: null, resource, finishedAt, error: result.error }
        : { ...prev, status: top ? 'complete' : 'stopped', metrics: result.metrics, reward: result.reward, resource, finishedAt, error: null };
    const rung: RungRecord = { trial, resource, metrics: rec.metrics, reward: rec.reward, error: rec.error, finishedAt };
    const first = !this.told.has(trial);
    if (first) {
      await this.strategy.tell(this.feedbackOf(rec));
      this.told.add(trial);
    } else {
      await this.strategy.update?.(this.feedbackOf(rec));
    }
    this.scheduler.report({ trial, resource, reward: rec.reward });
    this.running.delete(trial);
    this.records.set(trial, rec);
    const source = this.cache.get(rec.key);
    if (rec.status === 'failed') {
      if (source?.number === trial) this.cache.delete(rec.key);
    } else if (!source || source.number === trial) {
      this.cache.set(rec.key, rec);
    }
    this.store.putRung(rung, rec, this.rungCheckpoint());
    this.emit('rung', rung, rec);
    if (first) this.emit('trial', rec, false);
    this.refreshBest(true);
  }

  private refreshBest(announce: boolean): void {
    const best = bestTrial(this.records.values());
    const changed = best !== null && (best.number !== this.best?.number || best.reward !== this.best.reward || best.resource !== this.best.resource);
    this.best = best;
    if (changed && announce) this.emit('best', best);
  }

  private rungCheckpoint(): EngineCheckpoint {
    const running = new Map([...this.running, ...this.cancelledRungs]);
    const scheduler = this.scheduler.state();
    checkJson(scheduler, "the scheduler's state()");
    return {
      strategy: this.strategyState(),
      nextTrial: this.nextTrial,
      pending: [...running.keys(), ...this.waiting.keys()].filter((n) => !this.told.has(n)).sort((a, b) => a - b),
      elapsedMs: this.elapsedMs(),
      scheduler,
      running: [...running].map(([trial, resource]) => ({ trial, resource })).sort((a, b) => a.trial - b.trial),
    };
  }

  /** Loads trials, rungs and the checkpoint; returns the rungs that were in flight. */
  override checkResumable(): void {
    this.restoreRungs(false);
  }

  private restoreRungs(write = true): { trial: number; resource: number }[] {
    const trials = this.store.trials();
    for (const t of trials) this.records.set(t.number, t);
    for (const r of this.store.rungs()) this.told.add(r.trial);
    for (const t of trials) {
      if (t.resource !== undefined && t.status !== 'failed' && t.status !== 'cached' && !this.cache.has(t.key)) this.cache.set(t.key, t);
    }
    const ck = this.store.checkpoint();
    if (!ck) {
      // Every decision is stored with a checkpoint, so trials without one cannot come from this engine.
      if (trials.length > 0) throw new StoreError('the store has trials but no checkpoint: it was not written by a multi-fidelity search');
      // The strategy and scheduler as created: stored now, so that the store is resumable from the first second.
      if (write) this.store.saveCheckpoint(this.rungCheckpoint());
      return [];
    }
    if (ck.scheduler === undefined) throw new StoreError('the stored checkpoint has no scheduler state: the experiment was not run with a multi-fidelity scheduler');
    restoreFrom('strategy', () => this.strategy.restore(ck.strategy));
    restoreFrom('scheduler', () => this.scheduler.restore(ck.scheduler as JsonValue));
    this.nextTrial = ck.nextTrial;
    this.elapsedBase = ck.elapsedMs;
    this.evaluations = trials.filter((t) => t.number < ck.nextTrial && countsAsEvaluation(t)).length;
    this.refreshBest(false);
    const running = ck.running ?? [];
    for (const r of running) if (!this.records.has(r.trial)) throw new StoreError(`checkpoint names a running rung of trial ${r.trial}, which is not stored`);
    return running;
  }
}
