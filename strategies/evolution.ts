import { sampleChoices } from '../src/core/choices.js';
import type { JsonValue } from '../src/core/json.js';
import { resolveOptions, type OptionSpecs } from '../src/core/options.js';
import type { RngState } from '../src/core/rng.js';
import { JsonReader } from '../src/core/state-reader.js';
import type { Feedback, Proposal, Strategy, StrategyContext, StrategyFactory } from '../src/core/strategy.js';
import { AgingPopulation, readMembers, type Member } from './aging-population.js';
import { uniformMutator, type Mutator } from './mutator.js';

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
 * Regularized (aging) evolution, Real et al. 2019: a FIFO population of P; each child is a mutation
 * of the best of S random members (by default of one decision, uniformly: see Mutator); the oldest
 * member dies when a child joins. Proposals may be outstanding while others are evaluated
 * (asynchronous, as in the paper).
 */
export class RegularizedEvolution implements Strategy {
  private proposed = 0;
  private readonly population: AgingPopulation;

  constructor(
    private readonly ctx: StrategyContext,
    private readonly populationSize: number,
    private readonly sampleSize: number,
    private readonly mutator: Mutator = uniformMutator(ctx.space),
    /** The strategy's registered name, for the messages about its checkpoint. */
    private readonly name = 'evolution',
  ) {
    this.population = new AgingPopulation(populationSize);
  }

  ask(count: number): Proposal[] {
    return Array.from({ length: count }, () => {
      const p = this.propose();
      this.mutator.proposed?.(p);
      return p;
    });
  }

  private propose(): Proposal {
    const { space, rng } = this.ctx;
    this.proposed++;
    // Warm-up, or every member failed so far: random.
    const parent = this.proposed <= this.populationSize ? undefined : this.population.tournament(rng, this.sampleSize);
    if (!parent) return { choices: sampleChoices(space, rng) };
    return this.mutator.mutate(parent, rng);
  }

  tell(feedback: Feedback): void {
    this.population.add(feedback); // a failed child neither joins nor teaches
    if (feedback.reward !== null) this.mutator.learn?.(feedback);
  }

  /** A higher rung replaces the member's reward (see AgingPopulation.update); a mutator keeps what it learned from the first. */
  update(feedback: Feedback): void {
    this.population.update(feedback);
  }

  state(): JsonValue {
    const s: EvolutionState = { rng: { ...this.ctx.rng.state() }, proposed: this.proposed, population: this.population.state() };
    return { ...(s as unknown as Record<string, JsonValue>), ...this.mutator.state?.() };
  }

  restore(state: JsonValue): void {
    const r = JsonReader.checkpoint(this.name, state);
    const rng = r.rng();
    const proposed = r.integer('proposed');
    const population = readMembers(r);
    this.mutator.restore?.(r);
    this.ctx.rng.restore(rng);
    this.proposed = proposed;
    this.population.restore(population);
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
