import type { JsonValue } from '../src/core/json.js';
import type { RungOutcome } from '../src/core/scheduler.js';
import { byReward, levelIndex } from './rungs.js';

interface Entry {
  readonly trial: number;
  readonly reward: number;
  promoted: boolean;
}

/**
 * The rungs of one asynchronous successive-halving bracket (ASHA, Li et al. 2020, promotion type):
 * the trials paused at each level below the top, and which of them were promoted.
 */
export class PromotionRungs {
  /** rungs[k]: the trials that finished level k (k below the top). */
  private rungs: Entry[][];

  constructor(
    readonly levels: readonly number[],
    private readonly eta: number,
  ) {
    this.rungs = levels.slice(0, -1).map(() => []);
  }

  /**
   * Marks and returns the best not-yet-promoted trial among the top 1/eta (rounded down) of the highest
   * rung that has one, with the resource of the next level; null when no rung has one.
   */
  promote(): { trial: number; resource: number } | null {
    for (let k = this.rungs.length - 1; k >= 0; k--) {
      const rung = this.rungs[k] as Entry[];
      const top = rung.slice().sort(byReward).slice(0, Math.floor(rung.length / this.eta));
      const pick = top.find((e) => !e.promoted);
      if (pick) {
        pick.promoted = true;
        return { trial: pick.trial, resource: this.levels[k + 1] as number };
      }
    }
    return null;
  }

  /** A finished rung: paused there unless it is the top; a failed trial ends and is not ranked. */
  record(outcome: RungOutcome): void {
    const k = levelIndex(this.levels, outcome.resource);
    if (outcome.reward === null || k === this.rungs.length) return;
    (this.rungs[k] as Entry[]).push({ trial: outcome.trial, reward: outcome.reward, promoted: false });
  }

  state(): JsonValue {
    return this.rungs.map((rung) => rung.map((e) => [e.trial, e.reward, e.promoted]));
  }

  restore(state: JsonValue): void {
    const rungs = state as [number, number, boolean][][];
    if (!Array.isArray(rungs) || rungs.length !== this.rungs.length) throw new Error(`scheduler state has ${Array.isArray(rungs) ? rungs.length : 'no'} rungs, expected ${this.rungs.length}`);
    this.rungs = rungs.map((rung) => rung.map(([trial, reward, promoted]) => ({ trial, reward, promoted })));
  }
}
