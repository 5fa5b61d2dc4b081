import type { JsonValue } from './json.js';
import type { OptionSpecs } from './options.js';

/**
 * Search spaces are ordered lists of categorical decisions. A strategy only ever sees this view:
 * how many decisions, and for the next one its candidates and which of them are valid given the
 * choices already made. That is what lets one strategy serve every space.
 */

/** One categorical decision: its name, its candidate labels and, optionally, which are valid now. */
export interface Decision {
  /** Stable name, e.g. `edge(0->1)` or `cell3.input_j`; used in messages and for per-decision embeddings. */
  readonly name: string;
  /** Candidate labels; the choice is an index into this list. */
  readonly labels: readonly string[];
  /** `mask[i]` is false when candidate i is not allowed given the earlier choices; absent = all valid. */
  readonly mask?: readonly boolean[];
}

/** The strategy-facing view of a space. */
export interface DecisionSpace {
  readonly id: string;
  /** Number of decisions of every point (fixed for a configured space). */
  readonly length: number;
  /** The decision at position `prefix.length`, given the choices before it. */
  decision(prefix: readonly number[]): Decision;
  /** Largest number of candidates of any decision (sizes the controllers' output layers). */
  readonly maxCandidates: number;
}

/** A search space: the decision view plus a typed genotype it converts to and from. */
export interface SearchSpace<G = unknown> extends DecisionSpace {
  /** Turns a valid decision vector into a genotype (throws GenotypeError otherwise). */
  decode(choices: readonly number[]): G;
  /** Turns a genotype into its decision vector. */
  encode(genotype: G): number[];
  /** Checks untrusted input (e.g. parsed JSON) and returns it typed; throws GenotypeError naming the bad field. */
  validate(genotype: unknown): G;
  /** Canonical string: equal for genotypes that denote the same architecture; keys dedup and caches. */
  canonical(genotype: G): string;
  /** Parses the canonical string (or another documented text form) back into a genotype. */
  parse(text: string): G;
}

/** Makes a search space from its options; what a registry lists and a plugin registers. */
export interface SpaceFactory {
  readonly name: string;
  readonly description: string;
  readonly options: OptionSpecs;
  create(options: Readonly<Record<string, unknown>>): SearchSpace;
  /**
   * Named genotypes (e.g. hand-designed baselines) with the space options they need (a pyramid
   * written with its own number of cells, say): the one place a space names genotypes;
   * `tsnas train --genotype NAME` uses them.
   */
  readonly named?: Readonly<Record<string, { readonly genotype: unknown; readonly options: Readonly<Record<string, JsonValue>> }>>;
}

export function isValidCandidate(decision: Decision, index: number): boolean {
  return (
    Number.isInteger(index) &&
    index >= 0 &&
    index < decision.labels.length &&
    (decision.mask === undefined || decision.mask[index] === true)
  );
}

/** Indices of the valid candidates of a decision. */
export function validCandidates(decision: Decision): number[] {
  const out: number[] = [];
  for (let i = 0; i < decision.labels.length; i++) if (isValidCandidate(decision, i)) out.push(i);
  return out;
}
