import type { JsonValue } from '../src/core/json.js';
import type { OptionSpecs } from '../src/core/options.js';
import type { RungOutcome, Scheduler, SchedulerDecision, SchedulerFactory } from '../src/core/scheduler.js';
import { byReward, levelIndex, type Ranked, RUNG_OPTIONS, resolveRungs } from './rungs.js';

const OPTIONS = {
  ...RUNG_OPTIONS,
  size: { type: 'integer', default: 0, min: 0, help: 'trials per bracket at the lowest rung (0: eta^(levels-1), so that one reaches the top)' },
} as const satisfies OptionSpecs;

interface Bracket {
  /** Brackets run so far, this one included. */
  number: number;
  /** entrants[k]: the trials that started (k = 0) or were promoted to level k, in that order. */
  entrants: number[][];
  /** results[k]: [trial, reward] of the entrants that finished level k (reward null: failed). */
  results: [number, number | null][][];
  /** No more trials start in this bracket: it is full, or the budget cut it short. */
  closed: boolean;
}

/**
 * Synchronous successive halving (Jamieson & Talwalkar 2016): a bracket starts `size` trials at the
 * lowest rung; when every one has finished, the best max(1, floor(n/eta)) of its n entrants go on to
 * the next rung, and so on to the top; then the next bracket starts. Free slots wait at each rung
 * until it is complete. A bracket cut short by the budget is halved from the trials it has.
 */
export class SuccessiveHalving implements Scheduler {
  private bracket: Bracket;

  constructor(
    readonly levels: readonly number[],
    private readonly eta: number,
    private readonly size: number,
  ) {
    this.bracket = this.fresh(1);
  }

  private fresh(number: number): Bracket {
    return { number, entrants: this.levels.map(() => []), results: this.levels.map(() => []), closed: false };
  }

  next(canStart: boolean): SchedulerDecision {
    const b = this.bracket;
    if (!b.closed && (b.entrants[0] as number[]).length < this.size) {
      if (canStart) return { kind: 'start', resource: this.levels[0] as number };
      b.closed = true;
    }
    for (let k = 0; k < this.levels.length; k++) {
      const entrants = b.entrants[k] as number[];
      const results = b.results[k] as [number, number | null][];
      if (results.length < entrants.length) return { kind: 'wait' };
      if (k === this.levels.length - 1) break;
      const finished: Ranked[] = results.filter((r): r is [number, number] => r[1] !== null).map(([trial, reward]) => ({ trial, reward }));
      const quota = Math.min(finished.length, Math.max(1, Math.floor(entrants.length / this.eta)));
      const next = b.entrants[k + 1] as number[];
      if (next.length < quota) {
        const pick = finished.sort(byReward).find((r) => !next.includes(r.trial)) as Ranked;
        next.push(pick.trial);
        return { kind: 'promote', trial: pick.trial, resource: this.levels[k + 1] as number };
      }
    }
    // Every rung of this bracket is done.
    if (!canStart) return { kind: 'wait' };
    this.bracket = this.fresh(b.number + 1);
    return { kind: 'start', resource: this.levels[0] as number };
  }

  started(trial: number, resource: number): void {
    if (levelIndex(this.levels, resource) !== 0) throw new Error(`successive halving starts trials at ${this.levels[0]}, not ${resource}`);
    (this.bracket.entrants[0] as number[]).push(trial);
    if ((this.bracket.entrants[0] as number[]).length >= this.size) this.bracket.closed = true;
  }

  report(outcome: RungOutcome): void {
    const k = levelIndex(this.levels, outcome.resource);
    // A trial of an earlier bracket cannot still be running: each bracket waits for all of its rungs.
    if (!(this.bracket.entrants[k] as number[]).includes(outcome.trial)) throw new Error(`successive halving: trial ${outcome.trial} is not in rung ${k} of the current bracket`);
    (this.bracket.results[k] as [number, number | null][]).push([outcome.trial, outcome.reward]);
  }

  /** The current bracket's number (1 for the first) and its entrants per level, for inspection. */
  current(): { number: number; entrants: number[][] } {
    return { number: this.bracket.number, entrants: this.bracket.entrants.map((e) => e.slice()) };
  }

  state(): JsonValue {
    return structuredClone(this.bracket) as unknown as JsonValue;
  }

  restore(state: JsonValue): void {
    this.bracket = structuredClone(state) as unknown as Bracket;
  }
}

export const successiveHalvingFactory: SchedulerFactory = {
  name: 'successive-halving',
  description: 'synchronous successive halving: brackets of `size` trials, the best 1/eta of each complete rung go on to the next',
  options: OPTIONS,
  create(ctx, given) {
    const { options, levels } = resolveRungs('successive-halving', OPTIONS, ctx, given);
    return new SuccessiveHalving(levels, options.eta, options.size || options.eta ** (levels.length - 1));
  },
};
