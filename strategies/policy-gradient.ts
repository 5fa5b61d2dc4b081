import { Controller, type ControllerState } from '../src/controller/controller.js';
import { ensureBackend } from '../src/controller/backend.js';
import type { CONTROLLER_OPTIONS } from '../src/controller/options.js';
import type { JsonValue } from '../src/core/json.js';
import { resolveOptions, type OptionSpecs, type OptionValues } from '../src/core/options.js';
import type { RngState } from '../src/core/rng.js';
import { JsonReader } from '../src/core/state-reader.js';
import type { Feedback, Proposal, Strategy, StrategyContext, StrategyFactory } from '../src/core/strategy.js';
import { nextBaseline } from './baseline.js';

export type ControllerOptionValues = OptionValues<typeof CONTROLLER_OPTIONS>;

/** A told sample waiting for the next update. */
export interface PendingSample {
  readonly choices: number[];
  /** (scaled reward) - baseline, the baseline as it was before this reward joined it. */
  readonly advantage: number;
  /** log-probability under the policy that sampled it (from the proposal's info), if known. */
  readonly logp: number | null;
}

interface PolicyState {
  rng: RngState;
  controller: ControllerState;
  baseline: number | null;
  pending: PendingSample[];
}

/**
 * A controller sampling whole points, trained on batches of told samples. Proposals carry their
 * log-probability in `info` ({ logp }). Tells may come in any order and while other asks are
 * outstanding: each reward joins the baseline when it arrives, and an update runs whenever `batch`
 * rewarded samples are pending. Failed trials (reward null) are skipped; cached ones count as usual.
 */
export abstract class PolicyGradientStrategy implements Strategy {
  protected readonly controller: Controller;
  private baseline: number | null = null;
  private pending: PendingSample[] = [];

  constructor(
    protected readonly ctx: StrategyContext,
    protected readonly o: ControllerOptionValues,
  ) {
    this.controller = new Controller(ctx.space, o, ctx.rng);
  }

  /** The strategy's registered name, for the messages about its checkpoint and proposals. */
  protected abstract readonly name: string;

  /** Trains the controller on one full batch of told samples (through its reinforceStep / ppoStep). */
  protected abstract trainPolicy(samples: readonly PendingSample[]): void;

  ask(count: number): Proposal[] {
    return Array.from({ length: count }, () => {
      const { choices, logp } = this.controller.sample(this.ctx.rng);
      return { choices, info: { logp } };
    });
  }

  tell(feedback: Feedback): void {
    if (feedback.reward === null) return;
    const reward = feedback.reward * this.o.rewardScale;
    const advantage = this.baseline === null ? 0 : reward - this.baseline;
    this.baseline = nextBaseline(this.baseline, reward, this.o.baselineDecay);
    // A proposal stored without its log-probability (an older version) reads as null.
    const logp = JsonReader.info(this.name, feedback.info)?.numberOrNull('logp') ?? null;
    this.pending.push({ choices: feedback.choices.slice(), advantage, logp });
    if (this.pending.length < this.o.batch) return;
    const samples = this.pending;
    this.pending = [];
    this.trainPolicy(samples);
  }

  state(): JsonValue {
    const s: PolicyState = {
      rng: { ...this.ctx.rng.state() },
      controller: this.controller.state(),
      baseline: this.baseline,
      pending: this.pending.map((p) => ({ choices: p.choices.slice(), advantage: p.advantage, logp: p.logp })),
    };
    return s as unknown as JsonValue;
  }

  restore(state: JsonValue): void {
    const r = JsonReader.checkpoint(this.name, state);
    const rng = r.rng();
    const baseline = r.numberOrNull('baseline');
    const pending = r.objects('pending', (p) => ({ choices: p.integers('choices'), advantage: p.number('advantage'), logp: p.numberOrNull('logp') }));
    r.object('controller'); // an object; the controller checks its shape and parameters
    this.ctx.rng.restore(rng);
    this.controller.restore(r.raw('controller') as unknown as ControllerState);
    this.baseline = baseline;
    this.pending = pending;
  }

  /** Nothing to free: tensors live only inside an update. */
  dispose(): void {}
}

/** The factory of a controller strategy: its options resolved, a tfjs backend ready for its updates. */
export function controllerStrategyFactory<O extends OptionSpecs>(name: string, description: string, options: O, make: (ctx: StrategyContext, o: OptionValues<O>) => Strategy): StrategyFactory {
  return {
    name,
    description,
    options,
    async create(ctx, given) {
      const o = resolveOptions(name, options, given);
      await ensureBackend();
      return make(ctx, o);
    },
  };
}
