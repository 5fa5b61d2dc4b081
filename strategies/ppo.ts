import { CONTROLLER_OPTIONS } from '../src/controller/options.js';
import type { OptionSpecs, OptionValues } from '../src/core/options.js';
import type { StrategyContext } from '../src/core/strategy.js';
import { controllerStrategyFactory, PolicyGradientStrategy, type PendingSample } from './policy-gradient.js';

const OPTIONS = {
  ...CONTROLLER_OPTIONS,
  clip: { type: 'number', default: 0.2, min: 0, help: 'PPO clip range epsilon (Schulman et al. 2017: 0.2)' },
  epochs: { type: 'integer', default: 4, min: 1, help: 'Adam steps on each batch (PPO paper: 3 to 10)' },
} as const satisfies OptionSpecs;

/**
 * PPO (Schulman et al. 2017) as NASNet and NAS-FPN train their controllers: each batch of sampled
 * architectures gets `epochs` Adam steps on the clipped surrogate
 * -mean(min(r A, clip(r, 1-eps, 1+eps) A)) - w * mean(entropy), r = p(a) / p_old(a) for the whole
 * architecture, p_old the probability when it was sampled (the proposal's info.logp).
 */
export class Ppo extends PolicyGradientStrategy {
  protected readonly name = 'ppo';

  constructor(
    ctx: StrategyContext,
    private readonly p: OptionValues<typeof OPTIONS>,
  ) {
    super(ctx, p);
  }

  protected trainPolicy(samples: readonly PendingSample[]): void {
    const { clip, epochs, entropyWeight } = this.p;
    this.controller.ppoStep(
      samples.map((s) => s.choices),
      samples.map((s) => s.advantage),
      samples.map((s) => s.logp),
      { clip, epochs, entropyWeight },
    );
  }
}

export const ppoFactory = controllerStrategyFactory(
  'ppo',
  'LSTM controller (NASNet) trained by PPO (clipped surrogate, several epochs per batch)',
  OPTIONS,
  (ctx, o) => new Ppo(ctx, o),
);
