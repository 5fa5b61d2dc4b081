import { GenotypeError } from './errors.js';
import type { Rng } from './rng.js';
import { isValidCandidate, validCandidates, type DecisionSpace } from './space.js';

/** Throws GenotypeError naming the first decision whose choice is missing or not valid. */
export function checkChoices(space: DecisionSpace, choices: readonly number[]): void {
  if (choices.length !== space.length) {
    throw new GenotypeError('choices', `expected ${space.length} decisions, got ${choices.length}`);
  }
  for (let i = 0; i < choices.length; i++) {
    const d = space.decision(choices.slice(0, i));
    const c = choices[i] as number;
    if (!isValidCandidate(d, c)) {
      const valid = validCandidates(d).map((k) => `${k}=${d.labels[k]}`);
      throw new GenotypeError(`${d.name} (decision ${i})`, `choice ${c} is not one of the valid candidates [${valid.join(', ')}]`);
    }
  }
}

/** Uniform sample: each decision uniformly among its valid candidates. */
export function sampleChoices(space: DecisionSpace, rng: Rng): number[] {
  const out: number[] = [];
  for (let i = 0; i < space.length; i++) out.push(rng.pick(validCandidates(space.decision(out))));
  return out;
}

/**
 * Completes `prefix` by keeping each later choice of `rest` while it stays valid and resampling it
 * uniformly when the new prefix invalidated it (e.g. an input index that no longer exists).
 */
export function repairChoices(space: DecisionSpace, prefix: readonly number[], rest: readonly number[], rng: Rng): number[] {
  const out = prefix.slice();
  for (let i = out.length; i < space.length; i++) {
    const d = space.decision(out);
    const keep = rest[i - prefix.length];
    out.push(keep !== undefined && isValidCandidate(d, keep) ? keep : rng.pick(validCandidates(d)));
  }
  return out;
}

/**
 * Point mutation: one decision that has an alternative changes to a different valid candidate;
 * later decisions it invalidated are repaired. Returns the parent unchanged only when no decision
 * has an alternative (a space with a single point).
 */
export function mutateChoices(space: DecisionSpace, parent: readonly number[], rng: Rng): { choices: number[]; position: number } {
  const mutable: number[] = [];
  for (let i = 0; i < parent.length; i++) {
    if (validCandidates(space.decision(parent.slice(0, i))).length > 1) mutable.push(i);
  }
  if (mutable.length === 0) return { choices: parent.slice(), position: -1 };
  const position = rng.pick(mutable);
  const d = space.decision(parent.slice(0, position));
  const alternatives = validCandidates(d).filter((k) => k !== parent[position]);
  const prefix = [...parent.slice(0, position), rng.pick(alternatives)];
  return { choices: repairChoices(space, prefix, parent.slice(position + 1), rng), position };
}
