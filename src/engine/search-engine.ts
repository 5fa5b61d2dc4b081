import { EventEmitter } from 'node:events';
// tsyringe needs the Reflect metadata polyfill loaded before it, whoever imports the engine first.
import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { checkJson } from '../core/check-json.js';
import { checkChoices } from '../core/choices.js';
import { describeError } from '../core/describe-error.js';
import { ExecutorError, StoreError, TsnasError } from '../core/errors.js';
import type { Metrics } from '../core/evaluator.js';
import type { Executor } from '../core/executor.js';
import type { JsonValue } from '../core/json.js';
import { deriveSeed } from '../core/rng.js';
import type { SearchSpace } from '../core/space.js';
import type { ExperimentStore } from '../core/store.js';
import type { Feedback, Proposal, Strategy } from '../core/strategy.js';
import { countsAsEvaluation, type EngineCheckpoint, type RungRecord, type TrialRecord } from '../core/trial.js';
import type { RewardExpression } from './reward.js';
import { checkMetrics } from './check-metrics.js';
import type { EngineOptions } from './options.js';
import { TOKENS } from './tokens.js';

export type StopReason = 'evaluations' | 'seconds' | 'trials' | 'signal';

export interface SearchOutcome {
  /** The whole trial sequence of the experiment, in order. */
  readonly trials: TrialRecord[];
  /**
   * Highest-reward complete trial (earliest on ties), or null. Multi-fidelity searches: the highest
   * reward among the trials at the highest rung any trial reached (see best-trial.ts).
   */
  readonly best: TrialRecord | null;
  readonly evaluations: number;
  readonly stoppedBy: StopReason;
}

export interface EngineEvents {
  /** A trial began evaluating (multi-fidelity: each rung, with the record as it was before the rung). */
  start: [trial: TrialRecord];
  /**
   * A trial finished; `replayed` when it came from the store on resume. Multi-fidelity: once per trial,
   * when its first rung finishes (or it is answered from the cache); later rungs are `rung` events.
   */
  trial: [trial: TrialRecord, replayed: boolean];
  /** Multi-fidelity: a rung finished; `trial` is the trial's updated record. */
  rung: [rung: RungRecord, trial: TrialRecord];
  /** A new best trial. */
  best: [trial: TrialRecord];
}

interface Slot {
  readonly proposal: Proposal;
  readonly number: number;
}

/** What every record of a trial shares, fixed when it is proposed. */
export type TrialDraft = Pick<TrialRecord, 'number' | 'choices' | 'genotype' | 'key' | 'seed' | 'startedAt' | 'info'>;

/**
 * The ask -> dedup -> evaluate -> tell loop. Every trial is recorded before it is evaluated and
 * again with its result, together with a strategy checkpoint. Resuming restores the checkpoint and
 * replays the stored trials after it (the strategy re-proposes them: same state, same RNG), so a
 * restarted search continues the same sequence and never evaluates a completed trial again.
 */
@injectable()
export class SearchEngine extends EventEmitter<EngineEvents> {
  private stored = new Map<number, TrialRecord>();
  protected readonly cache = new Map<string, TrialRecord>();
  protected readonly inFlight = new Map<number, Promise<void>>();
  /**
   * Evaluations in progress by key, resolving to the trial's final record (undefined if cancelled): a
   * duplicate proposed meanwhile waits for it instead of evaluating the same architecture twice.
   */
  private readonly evaluating = new Map<string, { readonly number: number; readonly result: Promise<TrialRecord | undefined> }>();
  /** Trials cancelled by the stop signal: still `running` in the store and pending in every checkpoint. */
  private readonly cancelled = new Set<number>();
  /** The stop signal, handed to the executor only when running trials are to be cancelled on stop. */
  protected cancelSignal: AbortSignal | undefined;
  protected nextTrial = 0;
  protected evaluations = 0;
  private tells = 0;
  protected elapsedBase = 0;
  protected startedAt = 0;
  protected best: TrialRecord | null = null;
  protected failure: unknown = null;

  constructor(
    @inject(TOKENS.Space) protected readonly space: SearchSpace,
    @inject(TOKENS.Strategy) protected readonly strategy: Strategy,
    @inject(TOKENS.Executor) protected readonly executor: Executor,
    @inject(TOKENS.Store) protected readonly store: ExperimentStore,
    @inject(TOKENS.Reward) protected readonly reward: RewardExpression,
    @inject(TOKENS.EngineOptions) protected readonly options: EngineOptions,
  ) {
    super();
  }

  async run(signal?: AbortSignal): Promise<SearchOutcome> {
    this.startedAt = Date.now();
    this.cancelSignal = this.options.cancelOnStop ? signal : undefined;
    const pending = this.restore();
    for (const number of pending) this.resumePending(number);

    let stoppedBy: StopReason | null = null;
    while (this.failure === null) {
      stoppedBy = signal?.aborted ? 'signal' : this.exhausted();
      const free = this.executor.capacity - this.inFlight.size;
      if (stoppedBy === null && free > 0) {
        const count = Math.min(free, this.options.maxEvaluations - this.evaluations, this.options.maxTrials - this.nextTrial);
        const proposals = await this.strategy.ask(count);
        if (proposals.length === 0) throw new TsnasError('strategy proposed nothing');
        for (const p of proposals) this.begin({ proposal: p, number: this.nextTrial++ });
        continue;
      }
      if (this.inFlight.size === 0) break;
      await this.progress();
    }
    await Promise.allSettled(this.inFlight.values());
    if (this.failure !== null) throw this.failure;
    this.store.saveCheckpoint(this.checkpoint());
    const trials = this.store.trials();
    return { trials, best: this.best, evaluations: this.evaluations, stoppedBy: stoppedBy ?? 'signal' };
  }

  /** Waits until a trial in flight ends or the executor can run more than before. */
  protected async progress(): Promise<void> {
    let stop: (() => void) | undefined;
    const grown = new Promise<void>((resolve) => (stop = this.executor.onCapacityGrowth?.(resolve)));
    try {
      await Promise.race([...this.inFlight.values(), grown]);
    } finally {
      stop?.();
    }
  }

  private exhausted(): StopReason | null {
    if (this.evaluations >= this.options.maxEvaluations) return 'evaluations';
    if (this.nextTrial >= this.options.maxTrials) return 'trials';
    if (this.elapsedMs() >= this.options.maxSeconds * 1000) return 'seconds';
    return null;
  }

  protected elapsedMs(): number {
    return this.elapsedBase + (Date.now() - this.startedAt);
  }

  /**
   * Checks, on a read-only view of a stored experiment, that this engine can resume it: every row reads,
   * the checkpoint's states restore. Writes nothing, so a resume that would be refused is refused before
   * its store is locked or opened for writing. (The strategy is left restored; `run` restores it again.)
   */
  checkResumable(): void {
    this.restore(false);
  }

  /** Loads the checkpoint and stored trials; returns the trials pending at the checkpoint. */
  private restore(write = true): number[] {
    const trials = this.store.trials();
    this.stored = new Map(trials.map((t) => [t.number, t]));
    for (const t of trials) if (t.status === 'complete' && !this.cache.has(t.key)) this.cache.set(t.key, t);
    const ck = this.store.checkpoint();
    if (!ck) {
      // Killed before its first checkpoint (or a store from before initial checkpoints): the strategy as
      // created is that checkpoint, and every stored trial is replayed. Stored now, so the next run finds it.
      if (write) this.store.saveCheckpoint(this.checkpoint());
      return [];
    }
    restoreFrom('strategy', () => this.strategy.restore(ck.strategy));
    this.nextTrial = ck.nextTrial;
    this.elapsedBase = ck.elapsedMs;
    this.evaluations = trials.filter((t) => t.number < ck.nextTrial && countsAsEvaluation(t)).length;
    for (const t of trials) if (t.number < ck.nextTrial && !ck.pending.includes(t.number)) this.noteBest(t, false);
    return ck.pending;
  }

  /** A trial that was in flight at the checkpoint: deliver its stored result, or evaluate it again. */
  private resumePending(number: number): void {
    const rec = this.stored.get(number);
    if (!rec) throw new StoreError(`checkpoint names pending trial ${number}, which is not stored`);
    const slot = { proposal: { choices: rec.choices, ...(rec.info !== null ? { info: rec.info } : {}) }, number };
    if (rec.status === 'running') this.track(number, this.rerun(slot, rec));
    else this.track(number, this.finish(rec, true));
  }

  /** A trial stored as running (in flight when the search stopped): evaluated again, or, if it was a duplicate waiting for another, waiting again. */
  private rerun(slot: Slot, rec: TrialRecord): Promise<void> {
    return rec.cachedFrom !== null ? this.afterFirst(slot, rec) : this.startEvaluation(slot, rec);
  }

  /** Checks a proposal and fixes what every record of its trial shares. */
  protected draft(proposal: Proposal, number: number): TrialDraft {
    try {
      checkChoices(this.space, proposal.choices);
    } catch (e) {
      throw new TsnasError(`the strategy proposed an invalid point for trial ${number}: ${(e as Error).message}`, { cause: e });
    }
    const genotype = this.space.decode(proposal.choices);
    return {
      number,
      choices: proposal.choices.slice(),
      genotype: genotype as JsonValue,
      key: this.space.canonical(genotype),
      seed: deriveSeed(this.options.seed, number),
      startedAt: Date.now(),
      info: proposal.info ?? null,
    };
  }

  /** A duplicate of `hit`, answered with its result. */
  protected cachedRecord(draft: TrialDraft, hit: TrialRecord): TrialRecord {
    return {
      ...draft,
      status: 'cached',
      metrics: hit.metrics,
      reward: hit.reward,
      finishedAt: draft.startedAt,
      error: null,
      cachedFrom: hit.number,
      ...(hit.resource !== undefined ? { resource: hit.resource } : {}),
    };
  }

  protected runningRecord(draft: TrialDraft): TrialRecord {
    return { ...draft, status: 'running', metrics: null, reward: null, finishedAt: null, error: null, cachedFrom: null };
  }

  /** What the strategy is told of a record (a trial left running counts as failed). */
  protected feedbackOf(rec: TrialRecord): Feedback {
    const status = rec.status === 'running' || rec.status === 'failed' ? 'failed' : rec.status === 'cached' ? 'cached' : 'complete';
    return {
      trial: rec.number,
      choices: rec.choices,
      reward: status === 'failed' ? null : rec.reward,
      status,
      ...(rec.info !== null ? { info: rec.info } : {}),
      ...(rec.resource !== undefined ? { resource: rec.resource } : {}),
    };
  }

  private begin(slot: Slot): void {
    const { proposal, number } = slot;
    const draft = this.draft(proposal, number);
    const key = draft.key;
    const stored = this.stored.get(number);
    if (stored) {
      if (stored.key !== key) {
        throw new StoreError(
          `resumed run diverged at trial ${number}: stored '${stored.key}', proposed '${key}'. ` +
            'The experiment was run with another config or code version; start a new experiment.',
        );
      }
      if (countsAsEvaluation(stored)) this.evaluations++;
      if (stored.status !== 'running') return this.track(number, this.finish(stored, true));
      return this.track(number, this.rerun(slot, stored));
    }
    const hit = this.cache.get(key);
    if (hit) return this.track(number, this.finish(this.cachedRecord(draft, hit), false));
    const first = this.evaluating.get(key);
    if (first) {
      // Stored as running and pending like any trial in flight, with the trial it waits for.
      const waiting: TrialRecord = { ...this.runningRecord(draft), cachedFrom: first.number };
      this.store.putTrial(waiting);
      return this.track(number, this.afterFirst(slot, waiting));
    }
    this.evaluations++;
    const rec = this.runningRecord(draft);
    this.store.putTrial(rec);
    this.track(number, this.startEvaluation(slot, rec));
  }

  /** Evaluates a running record, registering it as the evaluation of its key while it runs. */
  private startEvaluation(slot: Slot, rec: TrialRecord): Promise<void> {
    const result = this.evaluate(slot, rec);
    const entry = { number: slot.number, result };
    this.evaluating.set(rec.key, entry);
    return result
      .then(() => undefined)
      .finally(() => {
        if (this.evaluating.get(rec.key) === entry) this.evaluating.delete(rec.key);
      });
  }

  /**
   * A duplicate of the trial evaluating the same architecture (`rec.cachedFrom`): once that one ends, it
   * is answered with its result (or failed with its failure), as a later duplicate would be, without an
   * evaluation of its own. Left running if that trial was cancelled.
   */
  private async afterFirst(slot: Slot, rec: TrialRecord): Promise<void> {
    const first = this.evaluating.get(rec.key);
    const result = first ? await first.result : this.stored.get(rec.cachedFrom as number);
    if (this.failure !== null) return;
    const hit = this.cache.get(rec.key);
    if (hit) return this.finish({ ...this.cachedRecord(rec, hit), finishedAt: Date.now() }, false);
    if (result?.status === 'failed') {
      return this.finish({ ...rec, status: 'failed', finishedAt: Date.now(), error: `same architecture as trial ${result.number}, which failed: ${result.error}`, cachedFrom: result.number }, false);
    }
    if (first) {
      this.cancelled.add(slot.number);
      return;
    }
    // Nothing to wait for any more (the trial it waited for is neither in flight nor decided): evaluate it.
    this.evaluations++;
    const running: TrialRecord = { ...rec, cachedFrom: null };
    this.store.putTrial(running);
    return this.startEvaluation(slot, running);
  }

  protected track(number: number, work: Promise<void>): void {
    const done = work.catch((e: unknown) => {
      this.failure ??= e;
    });
    this.inFlight.set(number, done);
    void done.finally(() => this.inFlight.delete(number));
  }

  /** Resolves to the trial's final record, or undefined when it was cancelled (it stays running). */
  private async evaluate(slot: Slot, running: TrialRecord): Promise<TrialRecord | undefined> {
    this.emit('start', running);
    const cancel = this.cancelSignal;
    const failed = (e: unknown): TrialRecord => ({ ...running, status: 'failed', finishedAt: Date.now(), error: describeError(e) });
    let metrics: Metrics;
    try {
      metrics = await this.executor.run({ trial: slot.number, genotype: running.genotype, key: running.key, seed: running.seed, ...(cancel ? { signal: cancel } : {}) });
    } catch (e) {
      // Whatever ended an evaluation once the user cancelled, it is not the architecture's failure:
      // the trial stays `running`, untold, and pending in checkpoints, so a resume evaluates it again.
      if (cancel?.aborted) {
        this.cancelled.add(slot.number);
        return undefined;
      }
      // An executor that can run nothing stops the search; the trial stays running for a resume.
      if (e instanceof ExecutorError) throw e;
      const rec = failed(e);
      await this.finish(rec, false);
      return rec;
    }
    let rec: TrialRecord;
    try {
      metrics = checkMetrics(metrics);
      rec = { ...running, status: 'complete', metrics, reward: this.reward.compute(metrics), finishedAt: Date.now() };
    } catch (e) {
      rec = failed(e);
    }
    await this.finish(rec, false);
    return rec;
  }

  /** Tells the strategy, stores the trial (with a checkpoint when due) and updates the best. */
  private async finish(rec: TrialRecord, replayed: boolean): Promise<void> {
    // After a failure (e.g. a store write error) nothing more is recorded, as if the process had died:
    // later checkpoints would otherwise skip the trial whose result was lost.
    if (this.failure !== null) return;
    await this.strategy.tell(this.feedbackOf(rec));
    this.tells++;
    if (rec.status === 'complete' && !this.cache.has(rec.key)) this.cache.set(rec.key, rec);
    if (!replayed) {
      const every = this.options.checkpointEvery;
      this.store.putTrial(rec, every > 0 && this.tells % every === 0 ? this.checkpoint(rec.number) : undefined);
    }
    this.noteBest(rec);
    this.emit('trial', rec, replayed);
  }

  private noteBest(rec: TrialRecord, announce = true): void {
    if (rec.status !== 'complete' || rec.reward === null) return;
    if (this.best === null || rec.reward > (this.best.reward as number)) {
      this.best = rec;
      if (announce) this.emit('best', rec);
    }
  }

  /** The strategy's state, checked to survive JSON exactly (a Map or a NaN would come back as something else). */
  protected strategyState(): JsonValue {
    const state = this.strategy.state();
    checkJson(state, 'the strategy\'s state()');
    return state;
  }

  /** `told`: the trial whose feedback was just given (still in flight until its record is written). */
  private checkpoint(told?: number): EngineCheckpoint {
    return {
      strategy: this.strategyState(),
      nextTrial: this.nextTrial,
      pending: [...new Set([...this.inFlight.keys(), ...this.cancelled])].filter((n) => n !== told).sort((a, b) => a - b),
      elapsedMs: this.elapsedMs(),
    };
  }
}

/** Restores a component from the stored checkpoint; what it throws on a damaged state becomes a StoreError. */
export function restoreFrom(component: string, restore: () => void): void {
  try {
    restore();
  } catch (e) {
    if (e instanceof TsnasError) throw e;
    throw new StoreError(`the stored checkpoint's ${component} state cannot be restored (${describeError(e)}): the store is damaged or was written by another version`, { cause: e });
  }
}
