/**
 * Hybrid of evolution and RL: regularized (aging) evolution whose mutations are chosen by a learned
 * policy instead of uniformly (in the spirit of Evo-NAS, Maziarz et al. 2018).
 *
 * - Population, warm-up and selection are exactly evolution.ts: a FIFO population of P, the first P
 *   proposals random, the parent the best of S random members, the oldest member dies.
 * - Mutation: the LSTM controller reads the parent (step t's input is the embedding of the parent's
 *   choice at decision t, so step t has seen decisions 0..t) and its per-decision output layers give a
 *   logit for every (decision t, candidate c). One softmax over all valid pairs with c != parent[t]
 *   picks *which* decision to change and *to what*; later decisions the change invalidated are
 *   repaired as in evolution (kept when still valid, else resampled uniformly).
 * - Mutations whose child is a point already proposed are masked out (the child of (t, c) is the parent
 *   with c at t, unless a repair was needed, and then it was not a known point): with a sharp policy,
 *   tournament winners would otherwise be mutated into the same known children again and again, whose
 *   cached rewards teach nothing new. When every mutation is masked, evolution's uniform one is used.
 * - Learning: REINFORCE on that one categorical choice (under the same masks), with reward = child
 *   reward - parent reward (the improvement the mutation made) minus a moving-average baseline of past
 *   improvements, plus an entropy bonus; Adam steps on batches of `batch` told children. The parent's
 *   reward does not depend on the mutation drawn, so it is a valid baseline: the gradient stays unbiased.
 * - An untrained controller is near-uniform over the pairs, so the hybrid starts close to evolution's
 *   uniform mutation (the same when every decision has as many alternatives, as in NAS-Bench-201) and
 *   drifts toward the mutations that have paid off.
 */
import { ensureBackend } from '../src/controller/backend.js';
import { Controller, maskedSoftmax, validSlots, type ControllerState } from '../src/controller/controller.js';
import { MASKED, type TfBatch } from '../src/controller/lstm-tf.js';
import { CONTROLLER_OPTIONS } from '../src/controller/options.js';
import { nextBaseline, reinforceLoss } from '../src/controller/policy-gradient.js';
import { mutateChoices, repairChoices, sampleChoices } from '../src/core/choices.js';
import type { JsonValue } from '../src/core/json.js';
import { resolveOptions, type OptionSpecs, type OptionValues } from '../src/core/options.js';
import type { RngState } from '../src/core/rng.js';
import type { DecisionSpace } from '../src/core/space.js';
import type { Feedback, Proposal, Strategy, StrategyContext, StrategyFactory } from '../src/core/strategy.js';
import { copyMember, type Member } from './evolution.js';

const OPTIONS = {
  population: { type: 'integer', default: 100, min: 1, help: 'population size P (the first P proposals are random)' },
  sample: { type: 'integer', default: 10, min: 1, help: 'tournament size S: the parent is the best of S members drawn at random' },
  ...CONTROLLER_OPTIONS,
} as const satisfies OptionSpecs;

type Options = OptionValues<typeof OPTIONS>;

/** What a mutated proposal carries in its info, and what an update needs of it. */
interface Mutation {
  readonly parent: number[];
  readonly parentReward: number;
  readonly position: number;
  readonly candidate: number;
  /** Flat (t * K + c) indices masked because their child was already proposed. */
  readonly excluded: number[];
}

interface Pending extends Mutation {
  readonly advantage: number;
}

interface HybridState {
  rng: RngState;
  proposed: number;
  population: Member[];
  controller: ControllerState;
  baseline: number | null;
  pending: Pending[];
  updates: number;
  /** Every proposed point (choices joined by ','), in proposal order. */
  seen: string[];
}

/** Valid mutations of `parent`, flattened [L*K]: candidate c of decision t, valid there and != parent[t]. */
export function mutationSlots(space: DecisionSpace, parent: readonly number[]): boolean[] {
  const K = space.maxCandidates;
  const out: boolean[] = [];
  for (let t = 0; t < space.length; t++) {
    const valid = validSlots(space.decision(parent.slice(0, t)), K);
    for (let k = 0; k < K; k++) out.push(valid[k] === true && k !== parent[t]);
  }
  return out;
}

/** One mutation for the controller: a parent, the chosen slot (t * K + k) and slots ruled out besides the invalid ones. */
export interface MutationRow {
  readonly parent: readonly number[];
  readonly slot: number;
  readonly excluded?: readonly number[];
}

/** The controller's batch for mutations: every invalid or excluded slot masked, the chosen slot as target. */
export function mutationBatch(space: DecisionSpace, rows: readonly MutationRow[]): TfBatch {
  const width = space.length * space.maxCandidates;
  const mask = new Float32Array(rows.length * width);
  const target = new Float32Array(rows.length * width);
  rows.forEach((r, b) => {
    mutationSlots(space, r.parent).forEach((ok, i) => {
      if (!ok) mask[b * width + i] = MASKED;
    });
    for (const i of r.excluded ?? []) mask[b * width + i] = MASKED;
    target[b * width + r.slot] = 1;
  });
  return { mode: 'self', inputs: rows.map((r) => r.parent.slice()), mask, target, joint: true };
}

export class LearnedMutationEvolution implements Strategy {
  private readonly controller: Controller;
  private proposed = 0;
  private population: Member[] = [];
  private baseline: number | null = null;
  private pending: Pending[] = [];
  private updates = 0;
  private seen = new Set<string>();

  constructor(
    private readonly ctx: StrategyContext,
    private readonly o: Options,
  ) {
    this.controller = new Controller(ctx.space, o, ctx.rng);
  }

  ask(count: number): Proposal[] {
    return Array.from({ length: count }, () => this.propose());
  }

  private propose(): Proposal {
    const p = this.proposeNew();
    this.seen.add(p.choices.join(','));
    return p;
  }

  private proposeNew(): Proposal {
    const { space, rng } = this.ctx;
    this.proposed++;
    if (this.proposed <= this.o.population || this.population.length === 0) return { choices: sampleChoices(space, rng) };
    let parent: Member | undefined;
    for (const i of rng.sampleIndices(this.population.length, Math.min(this.o.sample, this.population.length))) {
      const m = this.population[i] as Member;
      if (!parent || m.reward > parent.reward) parent = m;
    }
    const p = parent as Member;
    const K = space.maxCandidates;
    const valid = mutationSlots(space, p.choices);
    const excluded: number[] = [];
    valid.forEach((ok, i) => {
      if (!ok) return;
      const child = p.choices.slice();
      child[Math.floor(i / K)] = i % K;
      if (this.seen.has(child.join(','))) {
        valid[i] = false;
        excluded.push(i);
      }
    });
    if (!valid.includes(true)) return { choices: mutateChoices(space, p.choices, rng).choices };
    const probs = this.policy(p.choices, valid);
    const pick = rng.categorical(probs);
    const position = Math.floor(pick / K);
    const candidate = pick % K;
    const prefix = [...p.choices.slice(0, position), candidate];
    const choices = repairChoices(space, prefix, p.choices.slice(position + 1), rng);
    const info: Mutation & { logp: number } = { parent: p.choices.slice(), parentReward: p.reward, position, candidate, excluded, logp: Math.log(probs[pick] as number) };
    return { choices, info: info as unknown as JsonValue };
  }

  /** The learned distribution over the flat (t * K + c) mutations of `parent` allowed by `valid`. */
  private policy(parent: readonly number[], valid: readonly boolean[]): Float64Array {
    const K = this.ctx.space.maxCandidates;
    const flat = new Float64Array(this.ctx.space.length * K);
    this.controller.logitsAlong(parent, 'self').forEach((row, t) => flat.set(row, t * K));
    const probs = new Float64Array(flat.length);
    maskedSoftmax(flat, valid, probs);
    return probs;
  }

  /** The probability of each one-decision mutation of `parent`, flat (t * K + c), ignoring the known-point mask. */
  mutationProbabilities(parent: readonly number[]): Float64Array {
    return this.policy(parent, mutationSlots(this.ctx.space, parent));
  }

  tell(feedback: Feedback): void {
    if (feedback.reward === null) return; // a failed child neither joins nor teaches
    this.population.push({ choices: feedback.choices.slice(), reward: feedback.reward });
    if (this.population.length > this.o.population) this.population.shift();
    const m = feedback.info as unknown as Mutation | undefined;
    if (!m || !Array.isArray(m.parent)) return; // a warm-up (random) proposal
    const improvement = (feedback.reward - m.parentReward) * this.o.rewardScale;
    const advantage = this.baseline === null ? 0 : improvement - this.baseline;
    this.baseline = nextBaseline(this.baseline, improvement, this.o.baselineDecay);
    this.pending.push({ parent: m.parent.slice(), parentReward: m.parentReward, position: m.position, candidate: m.candidate, excluded: (m.excluded ?? []).slice(), advantage });
    if (this.pending.length >= this.o.batch) this.trainPolicy();
  }

  private trainPolicy(): void {
    const { space } = this.ctx;
    const samples = this.pending;
    this.pending = [];
    const K = space.maxCandidates;
    const batch = mutationBatch(space, samples.map((s) => ({ parent: s.parent, slot: s.position * K + s.candidate, excluded: s.excluded })));
    const advantages = samples.map((s) => s.advantage);
    this.controller.train(batch, (terms) => reinforceLoss(terms, advantages, this.o.entropyWeight));
    this.updates++;
  }

  state(): JsonValue {
    const s: HybridState = {
      rng: { ...this.ctx.rng.state() },
      proposed: this.proposed,
      population: this.population.map(copyMember),
      controller: this.controller.state(),
      baseline: this.baseline,
      pending: this.pending.map((p) => ({ ...p, parent: p.parent.slice(), excluded: p.excluded.slice() })),
      updates: this.updates,
      seen: [...this.seen],
    };
    return s as unknown as JsonValue;
  }

  restore(state: JsonValue): void {
    const s = state as unknown as HybridState;
    this.ctx.rng.restore(s.rng);
    this.proposed = s.proposed;
    this.population = s.population.map(copyMember);
    this.controller.restore(s.controller);
    this.baseline = s.baseline;
    this.pending = s.pending.map((p) => ({ ...p, parent: p.parent.slice(), excluded: p.excluded.slice() }));
    this.updates = s.updates;
    this.seen = new Set(s.seen);
  }

  /** Nothing to free: tensors live only inside an update. */
  dispose(): void {}
}

export const hybridFactory: StrategyFactory = {
  name: 'hybrid',
  description: 'aging evolution whose mutations (which decision, to what) are chosen by an LSTM controller trained by REINFORCE on child - parent reward',
  options: OPTIONS,
  async create(ctx, options) {
    const o = resolveOptions('hybrid', OPTIONS, options);
    await ensureBackend();
    return new LearnedMutationEvolution(ctx, o);
  },
};
