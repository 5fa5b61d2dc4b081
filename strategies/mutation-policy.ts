/**
 * Learned distributions over the one-decision mutations of a parent, for the hybrid (hybrid.ts). A
 * mutation is a flat slot t * K + c: decision t changes to candidate c. Both policies learn by
 * REINFORCE from (slot, advantage) pairs the hybrid hands them, under the same masks as when drawn.
 */
import { Controller, maskedSoftmax, type ControllerOptions, type ControllerState } from '../src/controller/controller.js';
import { mutationSlots, type MutationRow } from '../src/controller/mutation-batch.js';
import type { JsonValue } from '../src/core/json.js';
import type { Rng } from '../src/core/rng.js';
import type { DecisionSpace } from '../src/core/space.js';
import type { JsonReader } from '../src/core/state-reader.js';

/** A told mutation and the advantage of its outcome. */
export interface MutationSample extends MutationRow {
  readonly excluded: readonly number[];
  readonly advantage: number;
}

/** The allowed mask of a told mutation: valid for its parent and not excluded when it was drawn. */
function allowed(space: DecisionSpace, s: MutationRow): boolean[] {
  const valid = mutationSlots(space, s.parent);
  for (const i of s.excluded ?? []) valid[i] = false;
  return valid;
}

export interface MutationPolicy {
  /** Probabilities of the flat slots of `parent` allowed by `valid` (others 0). */
  probabilities(parent: readonly number[], valid: readonly boolean[]): Float64Array;
  learn(sample: MutationSample): void;
  state(): JsonValue;
  /** Restores what state() gave, read from the checkpoint's policy field. */
  restore(state: JsonReader): void;
}

interface BanditState {
  decision: number[];
  slot: number[];
}

/**
 * A gradient bandit (Sutton & Barto 2018, §2.8) over mutations, not conditioned on the parent: the
 * logit of slot (t, c) is decision[t] + slot[t * K + c], so what is learned about a decision (does
 * changing it ever pay?) is shared by all its candidates and is learned from a few samples, as a
 * 150-evaluation search needs. One REINFORCE step per told mutation, of size `rate`.
 */
export class BanditPolicy implements MutationPolicy {
  private decision: Float64Array;
  private slot: Float64Array;

  constructor(
    private readonly space: DecisionSpace,
    private readonly rate: number,
  ) {
    this.decision = new Float64Array(space.length);
    this.slot = new Float64Array(space.length * space.maxCandidates);
  }

  probabilities(_parent: readonly number[], valid: readonly boolean[]): Float64Array {
    const K = this.space.maxCandidates;
    const logits = this.slot.map((v, i) => v + (this.decision[Math.floor(i / K)] as number));
    const probs = new Float64Array(logits.length);
    maskedSoftmax(logits, valid, probs);
    return probs;
  }

  /** d log p(slot) / d logit_i = 1[i = slot] - p_i, summed into the decision term for each slot's decision. */
  learn(s: MutationSample): void {
    const K = this.space.maxCandidates;
    const probs = this.probabilities(s.parent, allowed(this.space, s));
    probs.forEach((p, i) => {
      const g = this.rate * s.advantage * ((i === s.slot ? 1 : 0) - p);
      this.slot[i] = (this.slot[i] as number) + g;
      this.decision[Math.floor(i / K)] = (this.decision[Math.floor(i / K)] as number) + g;
    });
  }

  state(): JsonValue {
    const s: BanditState = { decision: [...this.decision], slot: [...this.slot] };
    return s as unknown as JsonValue;
  }

  restore(state: JsonReader): void {
    const s: BanditState = { decision: state.numbers('decision'), slot: state.numbers('slot') };
    if (s.decision.length !== this.decision.length || s.slot.length !== this.slot.length) {
      throw new Error(`hybrid: bandit state has ${s.decision.length} decisions x ${s.slot.length} slots, this space ${this.decision.length} x ${this.slot.length}`);
    }
    this.decision = Float64Array.from(s.decision);
    this.slot = Float64Array.from(s.slot);
  }
}

interface ControllerPolicyState {
  controller: ControllerState;
  pending: MutationSample[];
}

const copySample = (s: MutationSample): MutationSample => ({ parent: s.parent.slice(), slot: s.slot, excluded: s.excluded.slice(), advantage: s.advantage });

/**
 * The LSTM controller reading the parent (step t's input is the embedding of the parent's choice at
 * decision t) with one softmax over every (decision, candidate) slot: a policy conditioned on the
 * parent, trained by REINFORCE with an entropy bonus, one Adam step per `batch` told mutations.
 */
export class ControllerPolicy implements MutationPolicy {
  private readonly controller: Controller;
  private pending: MutationSample[] = [];

  constructor(
    private readonly space: DecisionSpace,
    options: ControllerOptions,
    rng: Rng,
    private readonly batch: number,
    private readonly entropyWeight: number,
  ) {
    this.controller = new Controller(space, options, rng);
  }

  probabilities(parent: readonly number[], valid: readonly boolean[]): Float64Array {
    const K = this.space.maxCandidates;
    const flat = new Float64Array(this.space.length * K);
    this.controller.logitsAlong(parent, 'self').forEach((row, t) => flat.set(row, t * K));
    const probs = new Float64Array(flat.length);
    maskedSoftmax(flat, valid, probs);
    return probs;
  }

  learn(sample: MutationSample): void {
    this.pending.push(copySample(sample));
    if (this.pending.length < this.batch) return;
    const samples = this.pending;
    this.pending = [];
    this.controller.mutationStep(
      samples,
      samples.map((s) => s.advantage),
      this.entropyWeight,
    );
  }

  state(): JsonValue {
    const s: ControllerPolicyState = { controller: this.controller.state(), pending: this.pending.map(copySample) };
    return s as unknown as JsonValue;
  }

  restore(state: JsonReader): void {
    const pending = state.objects('pending', (p) => ({ parent: p.integers('parent'), slot: p.integer('slot'), excluded: p.integers('excluded'), advantage: p.number('advantage') }));
    state.object('controller'); // an object; the controller checks its shape and parameters
    this.controller.restore(state.raw('controller') as unknown as ControllerState);
    this.pending = pending;
  }
}
