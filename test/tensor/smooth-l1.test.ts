// The fused smooth-L1 box loss on wasm: the composite ops' value and gradient (cpu), ties included.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { detectionLoss } from '../../src/tasks/detection/loss.js';
import type { AnchorTargets } from '../../src/tasks/detection/anchors.js';
import { SMOOTH_L1_LOSS } from '../../src/tensor/smooth-l1.js';
import { assertClose, initBothBackends, liveCounts, seeded } from './support.js';

const [N, A, K, BETA] = [2, 9, 3, 0.11];

/** Targets with every label kind; deltas equal to the targets (d = 0) and a beta away (|d| = beta) in places. */
function problem(): { targets: AnchorTargets; logits: Float32Array; deltas: Float32Array } {
  const labels = Int32Array.from({ length: N * A }, (_, k) => [-2, -1, 0, 1, 2][k % 5]!);
  const boxes = seeded(N * A * 4, 7);
  const deltas = seeded(N * A * 4, 8).map((v, i) => (i % 7 === 0 ? boxes[i]! : i % 7 === 1 ? boxes[i]! + BETA : i % 7 === 2 ? boxes[i]! - BETA : v));
  return { targets: { labels, boxes, positives: labels.filter((l) => l >= 0).length }, logits: seeded(N * A * K, 9), deltas };
}

async function boxLossAndGradient(backend: string): Promise<{ box: number; gradient: Float32Array }> {
  await tf.setBackend(backend);
  const p = problem();
  const logits = tf.tensor3d(p.logits, [N, A, K]);
  const deltas = tf.variable(tf.tensor3d(p.deltas, [N, A, 4]), true, `deltas-${backend}-${Math.random()}`);
  const { value, grads } = tf.variableGrads(() => detectionLoss(logits, deltas, p.targets, K, 0.25, 2, BETA).box, [deltas]);
  const out = { box: value.dataSync()[0]!, gradient: Object.values(grads)[0]!.dataSync() as Float32Array };
  tf.dispose([logits, deltas, value, ...Object.values(grads)]);
  return out;
}

describe('fused smooth-L1 box loss (wasm)', () => {
  before(initBothBackends);

  it('gives the composite ops\' value and gradient, at d = 0 and |d| = beta too', async () => {
    const want = await boxLossAndGradient('cpu');
    const got = await boxLossAndGradient('wasm');
    assert.ok(want.box > 0);
    assertClose([got.box], [want.box], 'box loss', 1e-5);
    assertClose(got.gradient, want.gradient, 'gradient', 1e-5);
  });

  it('is one kernel in place of the composite\'s', async () => {
    await tf.setBackend('wasm');
    const p = problem();
    const [logits, deltas] = [tf.tensor3d(p.logits, [N, A, K]), tf.tensor3d(p.deltas, [N, A, 4])];
    const { kernelNames, result } = await tf.profile(() => detectionLoss(logits, deltas, p.targets, K, 0.25, 2, BETA).box);
    assert.ok(kernelNames.includes(SMOOTH_L1_LOSS) && !kernelNames.includes('Minimum'), kernelNames.join(', '));
    tf.dispose([logits, deltas, result as tf.Tensor]);
  });

  it('names deltas and weights that do not fit, and a beta that is not positive, leaking nothing', async () => {
    await tf.setBackend('wasm');
    const [d, t, w] = [tf.zeros([3, 4]), tf.zeros([3, 5]), tf.zeros([3])];
    const before = liveCounts();
    assert.throws(() => tf.engine().runKernel(SMOOTH_L1_LOSS, { deltas: d, targets: t, weights: w }, { beta: BETA }), /one weight per row; got \[3,4\], \[3,5\], \[3\]/);
    assert.throws(() => tf.engine().runKernel(SMOOTH_L1_LOSS, { deltas: d, targets: d, weights: w }, { beta: 0 }), /beta must be positive, got 0/);
    assert.deepEqual(liveCounts(), before);
    tf.dispose([d, t, w]);
  });
});
