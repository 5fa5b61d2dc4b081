import { sampleChoices } from '../src/core/choices.js';
import type { JsonValue } from '../src/core/json.js';
import { resolveOptions } from '../src/core/options.js';
import { JsonReader } from '../src/core/state-reader.js';
import type { Proposal, Strategy, StrategyContext, StrategyFactory } from '../src/core/strategy.js';

/** Random search: every decision uniformly among its valid candidates. The baseline every method must beat. */
export class RandomSearch implements Strategy {
  constructor(private readonly ctx: StrategyContext) {}

  ask(count: number): Proposal[] {
    return Array.from({ length: count }, () => ({ choices: sampleChoices(this.ctx.space, this.ctx.rng) }));
  }

  tell(): void {}

  state(): JsonValue {
    return { rng: { ...this.ctx.rng.state() } };
  }

  restore(state: JsonValue): void {
    this.ctx.rng.restore(JsonReader.checkpoint('random', state).rng());
  }
}

export const randomFactory: StrategyFactory = {
  name: 'random',
  description: 'uniform random search over the valid points of the space',
  options: {},
  create(ctx, options) {
    resolveOptions('random', {}, options);
    return new RandomSearch(ctx);
  },
};
