import type { JsonValue } from '../src/core/json.js';
import type { RungOutcome, Scheduler, SchedulerDecision, SchedulerFactory } from '../src/core/scheduler.js';
import { PromotionRungs } from './promotion-rungs.js';
import { RUNG_OPTIONS, resolveRungs } from './rungs.js';

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020), promotion type: a free slot promotes the best
 * not-yet-promoted trial in the top 1/eta of the highest rung that has one, and otherwise starts a new
 * trial at the lowest rung. No slot ever waits for a rung to fill.
 */
export class Asha implements Scheduler {
  private readonly rungs: PromotionRungs;

  constructor(
    readonly levels: readonly number[],
    eta: number,
  ) {
    this.rungs = new PromotionRungs(levels, eta);
  }

  next(canStart: boolean): SchedulerDecision {
    const p = this.rungs.promote();
    if (p) return { kind: 'promote', ...p };
    return canStart ? { kind: 'start', resource: this.levels[0] as number } : { kind: 'wait' };
  }

  started(_trial: number, _resource: number): void {}

  report(outcome: RungOutcome): void {
    this.rungs.record(outcome);
  }

  state(): JsonValue {
    return { rungs: this.rungs.state() };
  }

  restore(state: JsonValue): void {
    this.rungs.restore((state as { rungs: JsonValue }).rungs);
  }
}

export const ashaFactory: SchedulerFactory = {
  name: 'asha',
  description: 'asynchronous successive halving (promotion type): promote the best unpromoted trial of the top 1/eta of the highest rung, else start one at the lowest',
  options: RUNG_OPTIONS,
  create(ctx, given) {
    const { options, levels } = resolveRungs('asha', RUNG_OPTIONS, ctx, given);
    return new Asha(levels, options.eta);
  },
};
