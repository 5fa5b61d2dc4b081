import { mutateChoices } from '../src/core/choices.js';
import type { JsonValue } from '../src/core/json.js';
import type { Rng } from '../src/core/rng.js';
import type { DecisionSpace } from '../src/core/space.js';
import type { JsonReader } from '../src/core/state-reader.js';
import type { Feedback, Proposal } from '../src/core/strategy.js';
import type { Member } from './aging-population.js';

/**
 * How regularized evolution makes a child from the parent its tournament selected (PyGlove's
 * `selector >> mutator`): evolution's selection and aging stay in one place, the mutation varies.
 */
export interface Mutator {
  /** A child of `parent`, drawn with `rng`. */
  mutate(parent: Member, rng: Rng): Proposal;
  /** Sees every proposal once made, the random ones of the warm-up included. */
  proposed?(proposal: Proposal): void;
  /** A rewarded child's feedback, after it joined the population. */
  learn?(feedback: Feedback): void;
  /** Its part of the strategy's state, merged into evolution's (so its field names must not clash). */
  state?(): Record<string, JsonValue>;
  /** Restores its part from the strategy's checkpoint, read and checked field by field. */
  restore?(state: JsonReader): void;
}

/** Evolution's own mutation: one decision changed uniformly, the later ones it invalidated repaired. */
export function uniformMutator(space: DecisionSpace): Mutator {
  return { mutate: (parent, rng) => ({ choices: mutateChoices(space, parent.choices, rng).choices }) };
}
