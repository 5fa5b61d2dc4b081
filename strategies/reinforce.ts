import { CONTROLLER_OPTIONS } from '../src/controller/options.js';
import type { OptionSpecs } from '../src/core/options.js';
import { controllerStrategyFactory, PolicyGradientStrategy, type PendingSample } from './policy-gradient.js';

const OPTIONS = { ...CONTROLLER_OPTIONS } as const satisfies OptionSpecs;

/**
 * REINFORCE (Williams 1992) as in Zoph & Le 2017: one Adam step per batch on
 * -mean((R - b) log p(a)) - w * mean(entropy), b an exponential moving average of past rewards.
 */
export class Reinforce extends PolicyGradientStrategy {
  protected readonly name = 'reinforce';

  protected trainPolicy(samples: readonly PendingSample[]): void {
    this.controller.reinforceStep(
      samples.map((s) => s.choices),
      samples.map((s) => s.advantage),
      this.o.entropyWeight,
    );
  }
}

export const reinforceFactory = controllerStrategyFactory(
  'reinforce',
  'LSTM controller (NASNet) trained by REINFORCE with a moving-average baseline and an entropy bonus',
  OPTIONS,
  (ctx, o) => new Reinforce(ctx, o),
);
