import type { Rng } from '../src/core/rng.js';
import type { JsonReader } from '../src/core/state-reader.js';
import type { Feedback } from '../src/core/strategy.js';

/** A population member: an evaluated architecture's choices and reward. */
export interface Member {
  readonly choices: number[];
  readonly reward: number;
  /** The trial it came from, so a higher-fidelity reward can replace its own (absent in older states). */
  readonly trial?: number;
}

/** A copy sharing nothing with `m` (state() and restore() hand populations across that boundary). */
export function copyMember(m: Member): Member {
  return { choices: m.choices.slice(), reward: m.reward, ...(m.trial !== undefined ? { trial: m.trial } : {}) };
}

/** The population field of a checkpoint, checked member by member. */
export function readMembers(state: JsonReader, key = 'population'): Member[] {
  return state.objects(key, (m) => ({ choices: m.integers('choices'), reward: m.number('reward'), ...(m.has('trial') ? { trial: m.integer('trial') } : {}) }));
}

/**
 * Regularized evolution's population (Real et al. 2019), its one selection and aging rule: FIFO of at
 * most `size`, a told child joins and the oldest member dies; parents are the best of `sample` members
 * drawn at random.
 */
export class AgingPopulation {
  private members: Member[] = [];

  constructor(private readonly size: number) {}

  get length(): number {
    return this.members.length;
  }

  /** A failed child (reward null) does not join. */
  add(feedback: Feedback): void {
    if (feedback.reward === null) return;
    this.members.push({ choices: feedback.choices.slice(), reward: feedback.reward, trial: feedback.trial });
    if (this.members.length > this.size) this.members.shift();
  }

  /** The best of min(sample, length) members drawn without replacement (earliest drawn on ties); undefined when empty. */
  tournament(rng: Rng, sample: number): Member | undefined {
    let parent: Member | undefined;
    for (const i of rng.sampleIndices(this.members.length, Math.min(sample, this.members.length))) {
      const m = this.members[i] as Member;
      if (!parent || m.reward > parent.reward) parent = m;
    }
    return parent;
  }

  /**
   * A higher rung of a member's trial: its reward replaces the member's, so tournaments rank each
   * member by the highest fidelity it reached; a failed rung removes it. A member that has aged out
   * stays out.
   */
  update(feedback: Feedback): void {
    const i = this.members.findIndex((m) => m.trial === feedback.trial);
    if (i < 0) return;
    if (feedback.reward === null) this.members.splice(i, 1);
    else this.members[i] = { ...(this.members[i] as Member), reward: feedback.reward };
  }

  state(): Member[] {
    return this.members.map(copyMember);
  }

  restore(members: readonly Member[]): void {
    this.members = members.map(copyMember);
  }
}
