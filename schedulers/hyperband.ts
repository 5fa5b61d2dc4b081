import type { JsonValue } from '../src/core/json.js';
import type { OptionSpecs } from '../src/core/options.js';
import type { Rng, RngState } from '../src/core/rng.js';
import type { RungOutcome, Scheduler, SchedulerDecision, SchedulerFactory } from '../src/core/scheduler.js';
import { PromotionRungs } from './promotion-rungs.js';
import { levelIndex, RUNG_OPTIONS, resolveRungs } from './rungs.js';

const OPTIONS = {
  ...RUNG_OPTIONS,
  brackets: { type: 'integer', default: 0, min: 0, help: 'how many brackets, the most aggressive first (0: one per rung level)' },
} as const satisfies OptionSpecs;

interface HyperbandState {
  rng: RngState;
  brackets: JsonValue[];
  /** [trial, bracket] of the trials that may still report. */
  trials: [number, number][];
}

/**
 * Asynchronous Hyperband (as Syne Tune's, over ASHA brackets): bracket s is an ASHA whose lowest rung
 * is level s, so bracket 0 stops the most aggressively and the last trains every trial furthest before
 * judging it. Each free slot draws a bracket with probability proportional to the number of trials
 * synchronous Hyperband starts in it, (K+1)/(K+1-s) * eta^(K-s) for K+1 levels, and promotes in that
 * bracket or starts a new trial at its lowest rung. Once no new trial may start, any bracket's
 * promotions are taken.
 */
export class Hyperband implements Scheduler {
  private readonly brackets: PromotionRungs[];
  private readonly weights: number[];
  private readonly trialBracket = new Map<number, number>();

  constructor(
    readonly levels: readonly number[],
    eta: number,
    count: number,
    private readonly rng: Rng,
  ) {
    const n = Math.min(count || levels.length, levels.length);
    const K = levels.length - 1;
    this.brackets = Array.from({ length: n }, (_, s) => new PromotionRungs(levels.slice(s), eta));
    this.weights = this.brackets.map((_, s) => ((K + 1) / (K + 1 - s)) * eta ** (K - s));
  }

  next(canStart: boolean): SchedulerDecision {
    if (canStart) {
      const s = this.rng.categorical(this.weights);
      const p = (this.brackets[s] as PromotionRungs).promote();
      return p ? { kind: 'promote', ...p } : { kind: 'start', resource: this.levels[s] as number };
    }
    for (const bracket of this.brackets) {
      const p = bracket.promote();
      if (p) return { kind: 'promote', ...p };
    }
    return { kind: 'wait' };
  }

  /** Brackets have distinct lowest rungs, so the resource a trial starts at names its bracket. */
  started(trial: number, resource: number): void {
    this.trialBracket.set(trial, levelIndex(this.levels, resource));
  }

  report(outcome: RungOutcome): void {
    const s = this.trialBracket.get(outcome.trial);
    if (s === undefined) throw new Error(`hyperband: trial ${outcome.trial} was not started by this scheduler`);
    (this.brackets[s] as PromotionRungs).record(outcome);
    // A failed or complete trial reports no more.
    if (outcome.reward === null || outcome.resource === this.levels[this.levels.length - 1]) this.trialBracket.delete(outcome.trial);
  }

  /** The bracket each trial belongs to (those that may still report). */
  bracketOf(trial: number): number | undefined {
    return this.trialBracket.get(trial);
  }

  state(): JsonValue {
    const s: HyperbandState = { rng: { ...this.rng.state() }, brackets: this.brackets.map((b) => b.state()), trials: [...this.trialBracket] };
    return s as unknown as JsonValue;
  }

  restore(state: JsonValue): void {
    const s = state as unknown as HyperbandState;
    this.rng.restore(s.rng);
    if (s.brackets.length !== this.brackets.length) throw new Error(`scheduler state has ${s.brackets.length} brackets, expected ${this.brackets.length}`);
    s.brackets.forEach((b, i) => (this.brackets[i] as PromotionRungs).restore(b));
    this.trialBracket.clear();
    for (const [trial, bracket] of s.trials) this.trialBracket.set(trial, bracket);
  }
}

export const hyperbandFactory: SchedulerFactory = {
  name: 'hyperband',
  description: 'asynchronous Hyperband: ASHA brackets with different lowest rungs, one drawn per free slot in proportion to synchronous Hyperband',
  options: OPTIONS,
  create(ctx, given) {
    const { options, levels } = resolveRungs('hyperband', OPTIONS, ctx, given);
    return new Hyperband(levels, options.eta, options.brackets, ctx.rng);
  },
};
