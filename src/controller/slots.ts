import type { Decision } from '../core/space.js';

/** Which of the K output slots are valid for a decision: beyond its labels or masked off = invalid. */
export function validSlots(d: Decision, K: number): boolean[] {
  if (d.labels.length > K) throw new Error(`decision ${d.name} has ${d.labels.length} candidates, more than the space's maxCandidates ${K}`);
  return Array.from({ length: K }, (_, k) => k < d.labels.length && (d.mask === undefined || d.mask[k] === true));
}

/** Softmax over the valid entries of `logits` (float64, max-shifted), into `out` (invalid entries 0). */
export function maskedSoftmax(logits: ArrayLike<number>, valid: readonly boolean[], out: Float64Array): void {
  let max = -Infinity;
  for (let k = 0; k < valid.length; k++) if (valid[k] && (logits[k] as number) > max) max = logits[k] as number;
  if (max === -Infinity) throw new Error('controller: a decision has no valid candidate');
  let sum = 0;
  for (let k = 0; k < valid.length; k++) {
    const w = valid[k] ? Math.exp((logits[k] as number) - max) : 0;
    out[k] = w;
    sum += w;
  }
  for (let k = 0; k < valid.length; k++) out[k] = (out[k] as number) / sum;
}
