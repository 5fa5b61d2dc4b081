import * as tf from '@tensorflow/tfjs-core';
import { ensureBackend } from '../src/controller/backend.js';
import type { TfBatch } from '../src/controller/lstm-tf.js';
import { CONTROLLER_OPTIONS } from '../src/controller/options.js';
import { PolicyGradientStrategy, type PendingSample } from '../src/controller/policy-gradient.js';
import { resolveOptions, type OptionSpecs, type OptionValues } from '../src/core/options.js';
import type { StrategyContext, StrategyFactory } from '../src/core/strategy.js';

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
  constructor(
    ctx: StrategyContext,
    private readonly p: OptionValues<typeof OPTIONS>,
  ) {
    super(ctx, p);
  }

  protected trainPolicy(batch: TfBatch, samples: readonly PendingSample[]): void {
    const advantages = samples.map((s) => s.advantage);
    // A sample without its sampling log-probability (e.g. a feedback from an older version) starts at ratio 1.
    const current = samples.some((s) => s.logp === null) ? this.controller.evaluate(batch).logp : null;
    const old = samples.map((s, b) => s.logp ?? (current as Float32Array)[b] as number);
    const { clip, epochs, entropyWeight } = this.p;
    for (let e = 0; e < epochs; e++) {
      this.controller.train(batch, ({ logp, entropy }) => {
        const a = tf.tensor1d(advantages);
        const ratio = tf.exp(tf.sub(logp, tf.tensor1d(old)));
        const surrogate = tf.minimum(tf.mul(ratio, a), tf.mul(tf.clipByValue(ratio, 1 - clip, 1 + clip), a));
        return tf.neg(tf.add(tf.mean(surrogate), tf.mul(tf.mean(entropy), entropyWeight)));
      });
    }
  }
}

export const ppoFactory: StrategyFactory = {
  name: 'ppo',
  description: 'LSTM controller (NASNet) trained by PPO (clipped surrogate, several epochs per batch)',
  options: OPTIONS,
  async create(ctx, options) {
    const o = resolveOptions('ppo', OPTIONS, options);
    await ensureBackend();
    return new Ppo(ctx, o);
  },
};
