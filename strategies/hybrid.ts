/**
 * Evolution/RL hybrid: regularized (aging) evolution whose mutations are drawn from a policy learned
 * by REINFORCE, in the spirit of Evo-NAS (Maziarz et al. 2018) and of adaptive operator choice.
 *
 * - It is regularized evolution (evolution.ts) with another Mutator: population, warm-up, selection
 *   and aging are evolution's own (the first P proposals random, the parent the best of S random
 *   members, the oldest member dies).
 * - Mutation: one softmax over every valid (decision t, candidate c != parent[t]) slot picks which
 *   decision changes and to what; later decisions the change invalidated are repaired as in
 *   evolution. Slots whose child was already proposed are masked out (a learned policy would
 *   otherwise re-propose cached children, which teach nothing); if every slot is, evolution's uniform
 *   mutation is used.
 * - The policy (`policy`): `bandit` (default), a gradient bandit whose logit is a per-decision term
 *   plus a per-slot term, not conditioned on the parent, so it learns from a few samples which
 *   decisions are worth changing; or `controller`, the LSTM controller reading the parent.
 * - What it learns from (`signal`): `success` (default), 1 when the child beats its parent and 0
 *   otherwise: evolution keeps only improvements, and the mean improvement would favour harmless
 *   no-op mutations over risky useful ones; or `improvement`, child - parent reward (times
 *   rewardScale). Either minus a moving-average baseline. The parent's reward does not depend on the
 *   mutation drawn, so the gradient stays unbiased.
 * - An untrained policy is uniform over the slots, so the hybrid starts as evolution (with known
 *   children masked) and drifts toward the mutations that have paid off.
 */
import { ensureBackend } from '../src/controller/backend.js';
import { mutationSlots } from '../src/controller/mutation-batch.js';
import { CONTROLLER_OPTIONS } from '../src/controller/options.js';
import { mutateChoices, repairChoices } from '../src/core/choices.js';
import type { JsonValue } from '../src/core/json.js';
import { resolveOptions, type OptionSpecs, type OptionValues } from '../src/core/options.js';
import type { Rng } from '../src/core/rng.js';
import type { DecisionSpace } from '../src/core/space.js';
import { JsonReader } from '../src/core/state-reader.js';
import type { Feedback, Proposal, StrategyContext, StrategyFactory } from '../src/core/strategy.js';
import type { Member } from './aging-population.js';
import { nextBaseline } from './baseline.js';
import { EVOLUTION_OPTIONS, RegularizedEvolution } from './evolution.js';
import { BanditPolicy, ControllerPolicy, type MutationPolicy } from './mutation-policy.js';
import type { Mutator } from './mutator.js';

const OPTIONS = {
  ...EVOLUTION_OPTIONS,
  policy: { type: 'string', default: 'bandit', choices: ['bandit', 'controller'], help: 'mutation policy: a gradient bandit over (decision, candidate), or the LSTM controller reading the parent' },
  signal: { type: 'string', default: 'success', choices: ['success', 'improvement'], help: 'what the policy learns from: child beat parent (1/0), or child - parent reward' },
  banditRate: { type: 'number', default: 1, min: 0, help: 'bandit: step size of each REINFORCE update' },
  ...CONTROLLER_OPTIONS,
} as const satisfies OptionSpecs;

type Options = OptionValues<typeof OPTIONS>;

/** What a mutated proposal carries in its info. */
interface Mutation {
  readonly parent: number[];
  readonly parentReward: number;
  /** t * K + c: decision t changed to candidate c. */
  readonly slot: number;
  /** Slots masked because their child was already proposed. */
  readonly excluded: number[];
}

/** A proposal's mutation, checked; undefined for a random (warm-up or fallback) proposal, which carries none. */
function readMutation(info: JsonValue | undefined): Mutation | undefined {
  const r = JsonReader.info('hybrid', info);
  return r && { parent: r.integers('parent'), parentReward: r.number('parentReward'), slot: r.integer('slot'), excluded: r.integers('excluded', []) };
}

/** The hybrid's part of the strategy state, next to evolution's rng, proposed and population. */
interface GuidedState {
  policy: JsonValue;
  baseline: number | null;
  /** Every proposed point (choices joined by ','), in proposal order. */
  seen: string[];
}

/** Mutations drawn from the learned policy, children already proposed masked out; evolution's uniform one when every slot is. */
class GuidedMutator implements Mutator {
  private readonly policy: MutationPolicy;
  private baseline: number | null = null;
  private seen = new Set<string>();

  constructor(
    private readonly space: DecisionSpace,
    private readonly o: Options,
    rng: Rng,
  ) {
    this.policy = o.policy === 'controller' ? new ControllerPolicy(space, o, rng, o.batch, o.entropyWeight) : new BanditPolicy(space, o.banditRate);
  }

  proposed(p: Proposal): void {
    this.seen.add(p.choices.join(','));
  }

  mutate(parent: Member, rng: Rng): Proposal {
    const space = this.space;
    const K = space.maxCandidates;
    const valid = mutationSlots(space, parent.choices);
    const excluded: number[] = [];
    valid.forEach((ok, i) => {
      if (!ok) return;
      const child = parent.choices.slice();
      child[Math.floor(i / K)] = i % K;
      if (this.seen.has(child.join(','))) {
        valid[i] = false;
        excluded.push(i);
      }
    });
    if (!valid.includes(true)) return { choices: mutateChoices(space, parent.choices, rng).choices };
    const slot = rng.categorical(this.policy.probabilities(parent.choices, valid));
    const t = Math.floor(slot / K);
    const choices = repairChoices(space, [...parent.choices.slice(0, t), slot % K], parent.choices.slice(t + 1), rng);
    const info: Mutation = { parent: parent.choices.slice(), parentReward: parent.reward, slot, excluded };
    return { choices, info: info as unknown as JsonValue };
  }

  /** The policy's probability of each one-decision mutation of `parent`, flat (t * K + c), ignoring the known-point mask. */
  mutationProbabilities(parent: readonly number[]): Float64Array {
    return this.policy.probabilities(parent, mutationSlots(this.space, parent));
  }

  learn(feedback: Feedback): void {
    const m = readMutation(feedback.info);
    if (!m || feedback.reward === null) return;
    const value = this.o.signal === 'success' ? (feedback.reward > m.parentReward ? 1 : 0) : (feedback.reward - m.parentReward) * this.o.rewardScale;
    const advantage = this.baseline === null ? 0 : value - this.baseline;
    this.baseline = nextBaseline(this.baseline, value, this.o.baselineDecay);
    this.policy.learn({ parent: m.parent, slot: m.slot, excluded: m.excluded, advantage });
  }

  state(): Record<string, JsonValue> {
    const s: GuidedState = { policy: this.policy.state(), baseline: this.baseline, seen: [...this.seen] };
    return s as unknown as Record<string, JsonValue>;
  }

  restore(r: JsonReader): void {
    if (!r.has('policy')) throw new Error('hybrid: this state was written by an older hybrid (no mutation policy); start a new experiment');
    const baseline = r.numberOrNull('baseline');
    const seen = r.strings('seen');
    this.policy.restore(r.object('policy'));
    this.baseline = baseline;
    this.seen = new Set(seen);
  }
}

/** The hybrid: regularized evolution whose Mutator is the learned policy. */
export class GuidedEvolution extends RegularizedEvolution {
  private readonly guide: GuidedMutator;

  constructor(ctx: StrategyContext, o: Options) {
    const guide = new GuidedMutator(ctx.space, o, ctx.rng);
    super(ctx, o.population, o.sample, guide, 'hybrid');
    this.guide = guide;
  }

  /** The policy's probability of each one-decision mutation of `parent`, flat (t * K + c), ignoring the known-point mask. */
  mutationProbabilities(parent: readonly number[]): Float64Array {
    return this.guide.mutationProbabilities(parent);
  }

  /** Nothing to free: tensors live only inside a controller update. */
  dispose(): void {}
}

export const hybridFactory: StrategyFactory = {
  name: 'hybrid',
  description: 'aging evolution whose mutations (which decision, to what) come from a policy learned by REINFORCE on whether children beat their parents',
  options: OPTIONS,
  async create(ctx, options) {
    const o = resolveOptions('hybrid', OPTIONS, options);
    if (o.policy === 'controller') await ensureBackend();
    return new GuidedEvolution(ctx, o);
  },
};
