import { mutateChoices, sampleChoices } from '../src/core/choices.js';
import type { JsonValue } from '../src/core/json.js';
import { resolveOptions, type OptionSpecs } from '../src/core/options.js';
import type { RngState } from '../src/core/rng.js';
import type { Feedback, Proposal, Strategy, StrategyContext, StrategyFactory } from '../src/core/strategy.js';
import { AgingPopulation, type Member } from './aging-population.js';

export const EVOLUTION_OPTIONS = {
  population: { type: 'integer', default: 100, min: 1, help: 'population size P (the first P proposals are random)' },
  sample: { type: 'integer', default: 10, min: 1, help: 'tournament size S: the parent is the best of S members drawn at random' },
} as const satisfies OptionSpecs;

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
  private readonly population: AgingPopulation;

  constructor(
    private readonly ctx: StrategyContext,
    private readonly populationSize: number,
    private readonly sampleSize: number,
  ) {
    this.population = new AgingPopulation(populationSize);
  }

  ask(count: number): Proposal[] {
    return Array.from({ length: count }, () => this.propose());
  }

  private propose(): Proposal {
    const { space, rng } = this.ctx;
    this.proposed++;
    // Warm-up, or every member failed so far: random.
    const parent = this.proposed <= this.populationSize ? undefined : this.population.tournament(rng, this.sampleSize);
    if (!parent) return { choices: sampleChoices(space, rng) };
    return { choices: mutateChoices(space, parent.choices, rng).choices };
  }

  tell(feedback: Feedback): void {
    this.population.add(feedback);
  }

  /** A higher rung replaces the member's reward (see AgingPopulation.update). */
  update(feedback: Feedback): void {
    this.population.update(feedback);
  }

  state(): JsonValue {
    const s: EvolutionState = { rng: { ...this.ctx.rng.state() }, proposed: this.proposed, population: this.population.state() };
    return s as unknown as JsonValue;
  }

  restore(state: JsonValue): void {
    const s = state as unknown as EvolutionState;
    this.ctx.rng.restore(s.rng);
    this.proposed = s.proposed;
    this.population.restore(s.population);
  }
}

export const evolutionFactory: StrategyFactory = {
  name: 'evolution',
  description: 'regularized (aging) evolution with tournament selection and one-decision mutations',
  options: EVOLUTION_OPTIONS,
  create(ctx, options) {
    const o = resolveOptions('evolution', EVOLUTION_OPTIONS, options);
    return new RegularizedEvolution(ctx, o.population, o.sample);
  },
};
