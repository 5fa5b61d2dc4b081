/**
 * Example third-party strategy plugin: first-improvement hill climbing with random restarts.
 * It is written only against the package's public API (`tsnas`), as an external plugin is. Load it with:
 *
 *   tsnas bench --plugin ./dist/plugins/hill-climb/index.js --strategies random,evolution,hill-climb
 */
import {
  JsonReader,
  mutateChoices,
  resolveOptions,
  sampleChoices,
  type Feedback,
  type JsonValue,
  type OptionSpecs,
  type Proposal,
  type Registries,
  type RngState,
  type Strategy,
  type StrategyContext,
} from 'tsnas';

const OPTIONS = {
  patience: { type: 'integer', default: 30, min: 1, help: 'neighbours tried without improvement before a random restart' },
} as const satisfies OptionSpecs;

interface Incumbent {
  choices: number[];
  reward: number;
}

interface HillClimbState {
  rng: RngState;
  incumbent: Incumbent | null;
  failures: number;
}

class HillClimb implements Strategy {
  private incumbent: Incumbent | null = null;
  /** Neighbours evaluated since the incumbent last improved. */
  private failures = 0;

  constructor(
    private readonly ctx: StrategyContext,
    private readonly patience: number,
  ) {}

  ask(count: number): Proposal[] {
    return Array.from({ length: count }, () => {
      // No incumbent yet (start, or after a restart): a random point becomes the next one told.
      if (!this.incumbent) return { choices: sampleChoices(this.ctx.space, this.ctx.rng), info: 'restart' };
      return { choices: mutateChoices(this.ctx.space, this.incumbent.choices, this.ctx.rng).choices, info: 'neighbour' };
    });
  }

  tell(feedback: Feedback): void {
    if (feedback.reward === null) return;
    if (!this.incumbent || feedback.reward > this.incumbent.reward) {
      this.incumbent = { choices: feedback.choices.slice(), reward: feedback.reward };
      this.failures = 0;
    } else if (++this.failures >= this.patience) {
      this.incumbent = null; // local optimum (as far as patience tells): restart
      this.failures = 0;
    }
  }

  state(): JsonValue {
    const s: HillClimbState = { rng: { ...this.ctx.rng.state() }, incumbent: this.incumbent && { ...this.incumbent, choices: this.incumbent.choices.slice() }, failures: this.failures };
    return s as unknown as JsonValue;
  }

  /** Every field read and checked, so a damaged checkpoint names the field instead of failing later. */
  restore(state: JsonValue): void {
    const r = JsonReader.checkpoint('hill-climb', state);
    const rng = r.rng();
    const incumbent = r.raw('incumbent') === null ? null : r.object('incumbent');
    const s: HillClimbState = { rng, incumbent: incumbent && { choices: incumbent.integers('choices'), reward: incumbent.number('reward') }, failures: r.integer('failures') };
    this.ctx.rng.restore(s.rng);
    this.incumbent = s.incumbent;
    this.failures = s.failures;
  }
}

/** The plugin entry point: tsnas calls it with its registries. */
export function register(registries: Registries): void {
  registries.strategies.add({
    name: 'hill-climb',
    description: 'first-improvement hill climbing over one-decision neighbours, with random restarts (example plugin)',
    options: OPTIONS,
    create(ctx, options) {
      return new HillClimb(ctx, resolveOptions('hill-climb', OPTIONS, options).patience);
    },
  });
}
