import * as tf from '@tensorflow/tfjs-core';
import type { JsonValue } from '../core/json.js';
import type { OptionValues } from '../core/options.js';
import type { RngState } from '../core/rng.js';
import type { Feedback, Proposal, Strategy, StrategyContext } from '../core/strategy.js';
import { Controller, type ControllerState } from './controller.js';
import type { PolicyTerms, TfBatch } from './lstm-tf.js';
import type { CONTROLLER_OPTIONS } from './options.js';

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
  updates: number;
}

/** Exponential moving average baseline; it starts at the first value it sees. */
export function nextBaseline(baseline: number | null, value: number, decay: number): number {
  return baseline === null ? value : decay * baseline + (1 - decay) * value;
}

/** -mean(A * log p) - w * mean(H): the REINFORCE loss with an entropy bonus (A and H per sample). */
export function reinforceLoss(terms: PolicyTerms, advantages: readonly number[], entropyWeight: number): tf.Tensor {
  return tf.neg(tf.add(tf.mean(tf.mul(terms.logp, tf.tensor1d(advantages as number[]))), tf.mul(tf.mean(terms.entropy), entropyWeight)));
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
  private updates = 0;

  constructor(
    protected readonly ctx: StrategyContext,
    protected readonly o: ControllerOptionValues,
  ) {
    this.controller = new Controller(ctx.space, o, ctx.rng);
  }

  /** Trains the controller on one full batch. */
  protected abstract trainPolicy(batch: TfBatch, samples: readonly PendingSample[]): void;

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
    const logp = (feedback.info as { logp?: unknown } | undefined)?.logp;
    this.pending.push({ choices: feedback.choices.slice(), advantage, logp: typeof logp === 'number' ? logp : null });
    if (this.pending.length < this.o.batch) return;
    const samples = this.pending;
    this.pending = [];
    this.trainPolicy(this.controller.sequenceBatch(samples.map((s) => s.choices)), samples);
    this.updates++;
  }

  state(): JsonValue {
    const s: PolicyState = {
      rng: { ...this.ctx.rng.state() },
      controller: this.controller.state(),
      baseline: this.baseline,
      pending: this.pending.map((p) => ({ choices: p.choices.slice(), advantage: p.advantage, logp: p.logp })),
      updates: this.updates,
    };
    return s as unknown as JsonValue;
  }

  restore(state: JsonValue): void {
    const s = state as unknown as PolicyState;
    this.ctx.rng.restore(s.rng);
    this.controller.restore(s.controller);
    this.baseline = s.baseline;
    this.pending = s.pending.map((p) => ({ choices: p.choices.slice(), advantage: p.advantage, logp: p.logp }));
    this.updates = s.updates;
  }

  /** Nothing to free: tensors live only inside an update. */
  dispose(): void {}
}
