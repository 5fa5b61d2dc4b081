import { mutateChoices, sampleChoices } from '../src/core/choices.js';
import type { JsonValue } from '../src/core/json.js';
import { resolveOptions, type OptionSpecs } from '../src/core/options.js';
import type { RngState } from '../src/core/rng.js';
import type { Feedback, Proposal, Strategy, StrategyContext, StrategyFactory } from '../src/core/strategy.js';

const OPTIONS = {
  population: { type: 'integer', default: 100, min: 1, help: 'population size P (the first P proposals are random)' },
  sample: { type: 'integer', default: 10, min: 1, help: 'tournament size S: the parent is the best of S members drawn at random' },
} as const satisfies OptionSpecs;

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

interface EvolutionState {
  rng: RngState;
  proposed: number;
  population: Member[];
}

/**
 * Regularized (aging) evolution, Real et al. 2019: a FIFO population of P; each child mutates one
 * decision of the best of S random members; the oldest member dies when a child joins. Proposals may
 * be outstanding while others are evaluated (asynchronous, as in the paper).
 */
export class RegularizedEvolution implements Strategy {
  private proposed = 0;
  private population: Member[] = [];

  constructor(
    private readonly ctx: StrategyContext,
    private readonly populationSize: number,
    private readonly sampleSize: number,
  ) {}

  ask(count: number): Proposal[] {
    return Array.from({ length: count }, () => this.propose());
  }

  private propose(): Proposal {
    const { space, rng } = this.ctx;
    this.proposed++;
    // Warm-up, or every member failed so far: random.
    if (this.proposed <= this.populationSize || this.population.length === 0) return { choices: sampleChoices(space, rng) };
    const k = Math.min(this.sampleSize, this.population.length);
    let parent: Member | undefined;
    for (const i of rng.sampleIndices(this.population.length, k)) {
      const m = this.population[i] as Member;
      if (!parent || m.reward > parent.reward) parent = m;
    }
    return { choices: mutateChoices(space, (parent as Member).choices, rng).choices };
  }

  tell(feedback: Feedback): void {
    if (feedback.reward === null) return; // a failed child does not join
    this.population.push({ choices: feedback.choices.slice(), reward: feedback.reward, trial: feedback.trial });
    if (this.population.length > this.populationSize) this.population.shift();
  }

  /**
   * A higher rung of a member's trial: its reward replaces the member's, so tournaments rank each
   * member by the highest fidelity it reached; a failed rung removes it. A member that has aged out
   * stays out.
   */
  update(feedback: Feedback): void {
    const i = this.population.findIndex((m) => m.trial === feedback.trial);
    if (i < 0) return;
    if (feedback.reward === null) this.population.splice(i, 1);
    else this.population[i] = { ...(this.population[i] as Member), reward: feedback.reward };
  }

  state(): JsonValue {
    const s: EvolutionState = { rng: { ...this.ctx.rng.state() }, proposed: this.proposed, population: this.population.map(copyMember) };
    return s as unknown as JsonValue;
  }

  restore(state: JsonValue): void {
    const s = state as unknown as EvolutionState;
    this.ctx.rng.restore(s.rng);
    this.proposed = s.proposed;
    this.population = s.population.map(copyMember);
  }
}

export const evolutionFactory: StrategyFactory = {
  name: 'evolution',
  description: 'regularized (aging) evolution with tournament selection and one-decision mutations',
  options: OPTIONS,
  create(ctx, options) {
    const o = resolveOptions('evolution', OPTIONS, options);
    return new RegularizedEvolution(ctx, o.population, o.sample);
  },
};
