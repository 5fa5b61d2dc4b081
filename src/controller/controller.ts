import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/rng.js';
import type { DecisionSpace } from '../core/space.js';
import { Adam, type AdamState } from './adam.js';
import { JsLstm } from './lstm-js.js';
import { reinforceLoss, ppoLoss } from './losses.js';
import { lossAndGradient, MASKED, termValues, type PolicyTerms, type TfBatch } from './lstm-tf.js';
import { mutationBatch, type MutationRow } from './mutation-batch.js';
import { decodeFloats, encodeFloats, initParams, layoutOf, type ControllerShape, type Layout } from './params.js';
import { maskedSoftmax, validSlots } from './slots.js';

export { maskedSoftmax, validSlots } from './slots.js';

/** PPO's settings for one batch (Schulman et al. 2017). */
export interface PpoStepOptions {
  /** Clip range epsilon of the probability ratio. */
  readonly clip: number;
  /** Adam steps on the batch. */
  readonly epochs: number;
  readonly entropyWeight: number;
}

export interface ControllerOptions {
  /** LSTM units (NASNet: 100). */
  readonly units: number;
  readonly learningRate: number;
  /** Logits are divided by this before the softmax (1 = off). */
  readonly temperature: number;
  /** When > 0, logits become C * tanh(logits / T) (ENAS). */
  readonly tanhConstant: number;
}

export interface ControllerState {
  units: number;
  decisions: number;
  candidates: number;
  /** Float32 parameters, base64 (see params.ts). */
  params: string;
  adam: AdamState;
}

/**
 * NASNet's controller: a one-layer LSTM that emits one softmax decision after another, the input of
 * each step being the embedding of the previous choice (a learned start token first). Embeddings and
 * output layers are per decision and sized by the space's maxCandidates; invalid candidates are masked.
 * Parameters live in one float32 vector (the source of truth, snapshotted as base64); sampling runs in
 * plain JS, gradients come from tfjs autodiff over a batch, Adam runs in JS.
 */
export class Controller {
  readonly shape: ControllerShape;
  readonly layout: Layout;
  private params: Float32Array;
  private readonly adam: Adam;
  private readonly js: JsLstm;
  private readonly logits: Float64Array;
  private readonly probs: Float64Array;

  constructor(
    readonly space: DecisionSpace,
    readonly options: ControllerOptions,
    rng: Rng,
  ) {
    this.shape = { decisions: space.length, candidates: space.maxCandidates, units: options.units };
    this.layout = layoutOf(this.shape);
    this.params = initParams(this.layout, rng);
    this.adam = new Adam(this.layout.size, options.learningRate);
    this.js = new JsLstm(this.shape, this.layout, () => this.params, options);
    this.logits = new Float64Array(this.shape.candidates);
    this.probs = new Float64Array(this.shape.candidates);
  }

  /** A copy of the parameter vector. */
  parameters(): Float32Array {
    return this.params.slice();
  }

  setParameters(p: Float32Array): void {
    if (p.length !== this.layout.size) throw new Error(`controller: expected ${this.layout.size} parameters, got ${p.length}`);
    this.params = p.slice();
    this.js.invalidate();
  }

  /** Samples a point, each decision from the softmax over its valid candidates, drawn with `rng`. */
  sample(rng: Rng): { choices: number[]; logp: number } {
    const { decisions: L, candidates: K } = this.shape;
    const choices: number[] = [];
    let logp = 0;
    this.js.reset();
    for (let t = 0; t < L; t++) {
      this.js.step(t === 0 ? -1 : (t - 1) * K + (choices[t - 1] as number), t, this.logits);
      maskedSoftmax(this.logits, validSlots(this.space.decision(choices), K), this.probs);
      const c = rng.categorical(this.probs);
      choices.push(c);
      logp += Math.log(this.probs[c] as number);
    }
    return { choices, logp };
  }

  /**
   * Teacher-forced logits (transformed, unmasked) of every decision along `choices`, in JS; `mode` as
   * in TfBatch. Row t has K entries.
   */
  logitsAlong(choices: readonly number[], mode: TfBatch['mode']): Float64Array[] {
    const { decisions: L, candidates: K } = this.shape;
    const rows: Float64Array[] = [];
    this.js.reset();
    for (let t = 0; t < L; t++) {
      const input = mode === 'self' ? t * K + (choices[t] as number) : t === 0 ? -1 : (t - 1) * K + (choices[t - 1] as number);
      this.js.step(input, t, this.logits);
      rows.push(this.logits.slice());
    }
    return rows;
  }

  /** The batch for whole sampled sequences: per-decision softmaxes, masks from the space. */
  sequenceBatch(samples: readonly (readonly number[])[]): TfBatch {
    const { decisions: L, candidates: K } = this.shape;
    const mask = new Float32Array(samples.length * L * K);
    const target = new Float32Array(samples.length * L * K);
    samples.forEach((choices, b) => {
      for (let t = 0; t < L; t++) {
        const valid = validSlots(this.space.decision(choices.slice(0, t)), K);
        for (let k = 0; k < K; k++) if (!valid[k]) mask[(b * L + t) * K + k] = MASKED;
        target[(b * L + t) * K + (choices[t] as number)] = 1;
      }
    });
    return { mode: 'next', inputs: samples, mask, target, joint: false };
  }

  lossAndGradient(batch: TfBatch, loss: (terms: PolicyTerms) => tf.Tensor): { loss: number; grad: Float32Array } {
    return lossAndGradient(this.shape, this.layout, this.options, this.params, batch, loss);
  }

  /** The batch's log-probabilities and entropies under the current parameters (tf forward pass, no gradient). */
  evaluate(batch: TfBatch): { logp: Float32Array; entropy: Float32Array } {
    return termValues(this.shape, this.layout, this.options, this.params, batch);
  }

  /** One Adam step on `loss`; returns the loss before the step. */
  train(batch: TfBatch, loss: (terms: PolicyTerms) => tf.Tensor): number {
    const r = this.lossAndGradient(batch, loss);
    this.adam.apply(this.params, r.grad);
    this.js.invalidate();
    return r.loss;
  }

  /**
   * One REINFORCE step on whole sampled points: -mean(A log p) - w * mean(H), A the advantages. The
   * strategies' update, over plain arrays: tensors stay inside this package. Returns the loss before the step.
   */
  reinforceStep(samples: readonly (readonly number[])[], advantages: readonly number[], entropyWeight: number): number {
    return this.train(this.sequenceBatch(samples), (terms) => reinforceLoss(terms, advantages, entropyWeight));
  }

  /**
   * `epochs` PPO steps on one batch of sampled points, p_old each point's log-probability when it was
   * sampled; a null one (a feedback from an older version) is taken under the current policy (ratio 1).
   */
  ppoStep(samples: readonly (readonly number[])[], advantages: readonly number[], oldLogp: readonly (number | null)[], o: PpoStepOptions): void {
    const batch = this.sequenceBatch(samples);
    const current = oldLogp.some((l) => l === null) ? this.evaluate(batch).logp : null;
    const old = oldLogp.map((l, b) => l ?? ((current as Float32Array)[b] as number));
    for (let e = 0; e < o.epochs; e++) this.train(batch, (terms) => ppoLoss(terms, advantages, old, o.clip, o.entropyWeight));
  }

  /** One REINFORCE step of a mutation policy (see mutation-batch.ts): each row reads its parent, one softmax over all slots. */
  mutationStep(rows: readonly MutationRow[], advantages: readonly number[], entropyWeight: number): number {
    return this.train(mutationBatch(this.space, rows), (terms) => reinforceLoss(terms, advantages, entropyWeight));
  }

  state(): ControllerState {
    const { units, decisions, candidates } = this.shape;
    return { units, decisions, candidates, params: encodeFloats(this.params), adam: this.adam.state() };
  }

  restore(s: ControllerState): void {
    const { units, decisions, candidates } = this.shape;
    if (s.units !== units || s.decisions !== decisions || s.candidates !== candidates) {
      throw new Error(`controller state is for ${s.decisions} decisions x ${s.candidates} candidates x ${s.units} units, this controller is ${decisions} x ${candidates} x ${units}`);
    }
    this.params = decodeFloats(s.params, this.layout.size, 'controller parameters');
    this.adam.restore(s.adam);
    this.js.invalidate();
  }
}
