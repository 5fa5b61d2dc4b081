/**
 * Evolution/RL hybrid: regularized (aging) evolution whose mutations are drawn from a policy learned
 * by REINFORCE, in the spirit of Evo-NAS (Maziarz et al. 2018) and of adaptive operator choice.
 *
 * - Population, warm-up and selection are exactly evolution's (AgingPopulation): the first P proposals
 *   random, the parent the best of S random members, the oldest member dies.
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
import { CONTROLLER_OPTIONS } from '../src/controller/options.js';
import { nextBaseline } from '../src/controller/policy-gradient.js';
import { mutateChoices, repairChoices, sampleChoices } from '../src/core/choices.js';
import type { JsonValue } from '../src/core/json.js';
import { resolveOptions, type OptionSpecs, type OptionValues } from '../src/core/options.js';
import type { RngState } from '../src/core/rng.js';
import type { Feedback, Proposal, Strategy, StrategyContext, StrategyFactory } from '../src/core/strategy.js';
import { AgingPopulation, type Member } from './aging-population.js';
import { EVOLUTION_OPTIONS } from './evolution.js';
import { BanditPolicy, ControllerPolicy, mutationSlots, type MutationPolicy } from './mutation-policy.js';

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

interface HybridState {
  rng: RngState;
  proposed: number;
  population: Member[];
  policy: JsonValue;
  baseline: number | null;
  /** Every proposed point (choices joined by ','), in proposal order. */
  seen: string[];
}

export class GuidedEvolution implements Strategy {
  private proposed = 0;
  private readonly population: AgingPopulation;
  private readonly policy: MutationPolicy;
  private baseline: number | null = null;
  private seen = new Set<string>();

  constructor(
    private readonly ctx: StrategyContext,
    private readonly o: Options,
  ) {
    this.population = new AgingPopulation(o.population);
    this.policy = o.policy === 'controller' ? new ControllerPolicy(ctx.space, o, ctx.rng, o.batch, o.entropyWeight) : new BanditPolicy(ctx.space, o.banditRate);
  }

  ask(count: number): Proposal[] {
    return Array.from({ length: count }, () => {
      const p = this.propose();
      this.seen.add(p.choices.join(','));
      return p;
    });
  }

  private propose(): Proposal {
    const { space, rng } = this.ctx;
    this.proposed++;
    const parent = this.proposed <= this.o.population ? undefined : this.population.tournament(rng, this.o.sample);
    if (!parent) return { choices: sampleChoices(space, rng) };
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
    return this.policy.probabilities(parent, mutationSlots(this.ctx.space, parent));
  }

  tell(feedback: Feedback): void {
    if (feedback.reward === null) return; // a failed child neither joins nor teaches
    this.population.add(feedback);
    const m = feedback.info as unknown as Mutation | undefined;
    if (!m || !Array.isArray(m.parent) || typeof m.slot !== 'number') return; // a random (warm-up or fallback) proposal
    const value = this.o.signal === 'success' ? (feedback.reward > m.parentReward ? 1 : 0) : (feedback.reward - m.parentReward) * this.o.rewardScale;
    const advantage = this.baseline === null ? 0 : value - this.baseline;
    this.baseline = nextBaseline(this.baseline, value, this.o.baselineDecay);
    this.policy.learn({ parent: m.parent, slot: m.slot, excluded: m.excluded ?? [], advantage });
  }

  /** A higher rung replaces the member's reward (as in evolution); the policy keeps what it learned from the first. */
  update(feedback: Feedback): void {
    this.population.update(feedback);
  }

  state(): JsonValue {
    const s: HybridState = {
      rng: { ...this.ctx.rng.state() },
      proposed: this.proposed,
      population: this.population.state(),
      policy: this.policy.state(),
      baseline: this.baseline,
      seen: [...this.seen],
    };
    return s as unknown as JsonValue;
  }

  restore(state: JsonValue): void {
    const s = state as unknown as HybridState;
    if (s.policy === undefined) throw new Error('hybrid: this state was written by an older hybrid (no mutation policy); start a new experiment');
    this.ctx.rng.restore(s.rng);
    this.proposed = s.proposed;
    this.population.restore(s.population);
    this.policy.restore(s.policy);
    this.baseline = s.baseline;
    this.seen = new Set(s.seen);
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
