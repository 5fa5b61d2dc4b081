import assert from 'node:assert/strict';
import { Controller } from '../../src/controller/controller.js';
import { MASKED, type PolicyTerms, type TfBatch } from '../../src/controller/lstm-tf.js';
import type { LogitTransform } from '../../src/controller/lstm-js.js';
import { reinforceLoss } from '../../src/controller/losses.js';
import { Rng } from '../../src/core/rng.js';
import type { Decision, DecisionSpace } from '../../src/core/space.js';
import { mutationBatch, mutationSlots } from '../../src/controller/mutation-batch.js';

/** Test helpers (not a test file): small decision spaces and a finite-difference gradient check. */

/** L independent decisions of K candidates each, no masks. */
export function gridSpace(L: number, K: number): DecisionSpace {
  const labels = Array.from({ length: K }, (_, k) => `c${k}`);
  return { id: `grid${L}x${K}`, length: L, maxCandidates: K, decision: (prefix) => ({ name: `d${prefix.length}`, labels }) };
}

/**
 * A small NAS-FPN-like space with masks: each cell picks input i and input j among the nodes so far
 * (3 inputs, then one node per earlier cell; j != i), a level among 4 whose last is forbidden for the
 * first cell, and one of 2 ops. Candidate lists grow, so maxCandidates (3 + cells - 1) exceeds most.
 */
export function maskedSpace(cells = 3): DecisionSpace {
  const K = 3 + cells - 1;
  return {
    id: `masked${cells}`,
    length: 4 * cells,
    maxCandidates: K,
    decision(prefix): Decision {
      const cell = Math.floor(prefix.length / 4);
      const nodes = Array.from({ length: 3 + cell }, (_, n) => `n${n}`);
      switch (prefix.length % 4) {
        case 0:
          return { name: `cell${cell}.i`, labels: nodes };
        case 1:
          return { name: `cell${cell}.j`, labels: nodes, mask: nodes.map((_, n) => n !== prefix[prefix.length - 1]) };
        case 2:
          return { name: `cell${cell}.level`, labels: ['l3', 'l4', 'l5', 'l6'], mask: [true, true, true, cell > 0] };
        default:
          return { name: `cell${cell}.op`, labels: ['sum', 'gp'] };
      }
    },
  };
}

/** log-softmax over the valid entries, float64. */
function logSoftmax(logits: ArrayLike<number>, valid: readonly boolean[]): number[] {
  let max = -Infinity;
  valid.forEach((v, k) => {
    if (v) max = Math.max(max, logits[k] as number);
  });
  let sum = 0;
  valid.forEach((v, k) => {
    if (v) sum += Math.exp((logits[k] as number) - max);
  });
  return valid.map((v, k) => (v ? (logits[k] as number) - max - Math.log(sum) : -Infinity));
}

/** The same per-sample terms as the tf loss, from the JS forward pass in float64: the reference. */
export function jsTerms(ctl: Controller, batch: TfBatch): { logp: number[]; entropy: number[] } {
  const { decisions: L, candidates: K } = ctl.shape;
  const logp: number[] = [];
  const entropy: number[] = [];
  batch.inputs.forEach((inputs, b) => {
    const rows = ctl.logitsAlong(inputs, batch.mode);
    const groups = batch.joint ? [rows.flatMap((r) => [...r])] : rows.map((r) => [...r]);
    const width = batch.joint ? L * K : K;
    let lp = 0;
    let h = 0;
    groups.forEach((logits, g) => {
      const at = b * L * K + g * width;
      const valid = logits.map((_, k) => batch.mask[at + k] !== MASKED);
      const ls = logSoftmax(logits, valid);
      ls.forEach((v, k) => {
        if (!valid[k]) return;
        lp += v * (batch.target[at + k] as number);
        h -= Math.exp(v) * v;
      });
    });
    logp.push(lp);
    entropy.push(h);
  });
  return { logp, entropy };
}

export function jsReinforceLoss(ctl: Controller, batch: TfBatch, adv: readonly number[], w: number): number {
  const t = jsTerms(ctl, batch);
  const n = adv.length;
  return -(t.logp.reduce((s, lp, b) => s + lp * (adv[b] as number), 0) / n) - (w * t.entropy.reduce((s, h) => s + h, 0)) / n;
}

/** A batch of random valid mutations of `parents` (one rng.pick per parent, in order). */
export function randomMutationBatch(space: DecisionSpace, parents: number[][], rng: Rng): TfBatch {
  return mutationBatch(space, parents.map((p) => ({ parent: p, slot: rng.pick(mutationSlots(space, p).flatMap((ok, i) => (ok ? [i] : []))) })));
}

/**
 * Checks the tf autodiff gradient of a REINFORCE loss (with entropy bonus) of a tiny controller on
 * the masked space against float64 central finite differences of the JS forward pass, on a few
 * parameters of every block. Returns how many parameters were checked.
 */
export function checkGradient(transform: LogitTransform, self: boolean): number {
  const space = maskedSpace(2);
  const rng = Rng.fromSeed(7);
  // Larger init than U(-0.1, 0.1) so every term matters; 3 units keep it tiny.
  const ctl = new Controller(space, { units: 3, learningRate: 0.01, ...transform }, rng);
  ctl.setParameters(ctl.parameters().map(() => (rng.next() * 2 - 1) * 0.8));
  const samples = Array.from({ length: 4 }, () => ctl.sample(rng).choices);
  const batch = self ? randomMutationBatch(space, samples, rng) : ctl.sequenceBatch(samples);
  const adv = [1.5, -0.7, 0.3, -1.1];
  const w = 0.3;
  const { loss, grad } = ctl.lossAndGradient(batch, (t: PolicyTerms) => reinforceLoss(t, adv, w));
  assert.ok(Math.abs(loss - jsReinforceLoss(ctl, batch, adv, w)) < 1e-5, 'tf and JS compute the same loss');
  const base = ctl.parameters();
  const blocks = Object.entries(ctl.layout).filter(([k]) => k !== 'size') as [string, [number, number]][];
  let checked = 0;
  for (const [name, [at, size]] of blocks) {
    if (self && name === 'start') continue; // not read when a parent is the input
    for (const i of [at, at + Math.floor(size / 2), at + size - 1]) {
      const eps = 1e-3;
      const plus = base.slice();
      const minus = base.slice();
      plus[i] = (base[i] as number) + eps;
      minus[i] = (base[i] as number) - eps;
      ctl.setParameters(plus);
      const lp = jsReinforceLoss(ctl, batch, adv, w);
      ctl.setParameters(minus);
      const lm = jsReinforceLoss(ctl, batch, adv, w);
      const fd = (lp - lm) / ((plus[i] as number) - (minus[i] as number));
      const g = grad[i] as number;
      assert.ok(Math.abs(fd - g) <= 2e-4 + 1e-3 * Math.abs(fd), `${name}[${i - at}]: autodiff ${g}, finite difference ${fd}`);
      checked++;
    }
  }
  assert.ok(grad.some((g) => Math.abs(g) > 1e-3), 'the gradient is not trivially zero');
  return checked;
}
