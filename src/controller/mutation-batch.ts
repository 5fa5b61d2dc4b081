import type { DecisionSpace } from '../core/space.js';
import { validSlots } from './slots.js';
import { MASKED, type TfBatch } from './lstm-tf.js';

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
