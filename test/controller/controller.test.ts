import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Controller, validSlots } from '../../src/controller/controller.js';
import { checkChoices } from '../../src/core/choices.js';
import { Rng } from '../../src/core/rng.js';
import { initBackend } from '../../src/tensor/index.js';
import type { Strategy, StrategyFactory } from '../../src/core/strategy.js';
import { hybridFactory } from '../../strategies/hybrid.js';
import { ppoFactory } from '../../strategies/ppo.js';
import { reinforceFactory } from '../../strategies/reinforce.js';
import { checkGradient, gridSpace, maskedSpace } from '../strategies/helpers.js';

/**
 * On the cpu backend (float32 everywhere, the reference): the finite-difference checks cover tfjs's
 * gradients together with the controller's own matMul gradient (explicit transposes, gradients.ts).
 */
describe('controller', () => {
  before(async () => {
    await initBackend('cpu');
  });

  const cases = [
    { name: 'sequence, no transform', transform: { temperature: 1, tanhConstant: 0 }, self: false },
    { name: 'sequence, temperature 5 and tanh 2.5', transform: { temperature: 5, tanhConstant: 2.5 }, self: false },
    { name: 'joint mutation softmax over a parent', transform: { temperature: 1, tanhConstant: 0 }, self: true },
  ];
  for (const c of cases) {
    it(`tf autodiff gradient matches central finite differences (${c.name})`, () => {
      assert.ok(checkGradient(c.transform, c.self) >= 15);
    });
  }

  it('says what is missing when no gradient functions are registered', () => {
    const saved = tf.getGradient(tf.BatchMatMul)!;
    tf.unregisterGradient(tf.BatchMatMul);
    try {
      assert.throws(() => checkGradient({ temperature: 1, tanhConstant: 0 }, false), /no gradient functions registered; call initBackend\(\)/);
    } finally {
      tf.registerGradient(saved);
    }
  });

  it('the JS sampler and the tf forward pass agree on log-probabilities', () => {
    const space = maskedSpace(3);
    const rng = Rng.fromSeed(3);
    const ctl = new Controller(space, { units: 16, learningRate: 0.01, temperature: 2, tanhConstant: 1.5 }, rng);
    ctl.setParameters(ctl.parameters().map(() => (rng.next() * 2 - 1) * 0.5));
    const samples = Array.from({ length: 8 }, () => ctl.sample(rng));
    const ev = ctl.evaluate(ctl.sequenceBatch(samples.map((s) => s.choices)));
    samples.forEach((s, b) => assert.ok(Math.abs(s.logp - (ev.logp[b] as number)) < 1e-4, `sample ${b}: ${s.logp} vs ${ev.logp[b]}`));
  });

  it('slots beyond a decision\'s labels or masked off are invalid', () => {
    assert.deepEqual(validSlots({ name: 'd', labels: ['a', 'b', 'c'], mask: [true, false, true] }, 5), [true, false, true, false, false]);
    assert.throws(() => validSlots({ name: 'd', labels: ['a', 'b', 'c'] }, 2), /maxCandidates/);
  });

  const factories: StrategyFactory[] = [reinforceFactory, ppoFactory, hybridFactory];
  for (const factory of factories) {
    it(`${factory.name} never proposes a masked candidate, also after training`, async () => {
      const space = maskedSpace(3);
      const rng = Rng.fromSeed(11);
      // A sharp policy (high learning rate) trained to prefer the highest indices, which masks often forbid.
      const options = { learningRate: 0.05, batch: 5, units: 16, ...(factory.name === 'hybrid' ? { population: 10, sample: 3 } : {}) };
      const s: Strategy = await factory.create({ space, rng, seed: 11 }, options);
      for (let i = 0; i < 300; i++) {
        const [p] = await s.ask(1);
        assert.ok(p);
        checkChoices(space, p.choices);
        const reward = p.choices.reduce((a, c) => a + c, 0);
        await s.tell({ trial: i, choices: p.choices, reward, status: 'complete', ...(p.info !== undefined ? { info: p.info } : {}) });
      }
      s.dispose?.();
    });
  }

  it('sizes output layers by maxCandidates: a grid space samples every candidate', () => {
    const ctl = new Controller(gridSpace(2, 3), { units: 4, learningRate: 0.01, temperature: 1, tanhConstant: 0 }, Rng.fromSeed(1));
    const seen = new Set<number>();
    const rng = Rng.fromSeed(2);
    for (let i = 0; i < 200; i++) for (const c of ctl.sample(rng).choices) seen.add(c);
    assert.deepEqual([...seen].sort(), [0, 1, 2]);
  });
});
