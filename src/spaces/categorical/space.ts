import { checkChoices, mutateChoices, sampleChoices } from '../../core/choices.js';
import { ConfigError, GenotypeError } from '../../core/errors.js';
import type { JsonValue } from '../../core/json.js';
import type { Rng } from '../../core/rng.js';
import type { Decision, SearchSpace, SpaceFactory } from '../../core/space.js';

/**
 * A space of independent categorical decisions written as a record (`{ lr: [0.01, 0.001], act:
 * ['relu', 'tanh'] }`), for evaluators whose architecture is a handful of hyper-parameters: the
 * decision contract, validation, the canonical string and parsing are derived from the record, so a
 * plugin writes none of the eight members of a SearchSpace by hand.
 */

/** A value a categorical decision can take: what the genotype holds and JSON stores unchanged. */
export type CategoricalValue = string | number | boolean;

/** The decisions by name, each with its candidate values in order. */
export type CategoricalDecisions = Readonly<Record<string, readonly CategoricalValue[]>>;

/** A point of the space: one of its candidate values for every decision. */
export type CategoricalGenotype<D extends CategoricalDecisions> = { readonly [K in keyof D]: D[K][number] };

export interface CategoricalSpaceDefinition<D extends CategoricalDecisions> {
  /** The space's id (what `--space` and a stored experiment name). */
  readonly name: string;
  /** In the order a strategy decides them: the record's key order. */
  readonly decisions: D;
}

/** The separators of the canonical string `key=value,key=value`: names and labels may not contain them. */
const PAIR = ',';
const ASSIGN = '=';

export interface CategoricalSpace<D extends CategoricalDecisions> extends SearchSpace<CategoricalGenotype<D>> {
  readonly decisions: D;
  /** A uniform sample (what a random search draws). */
  sample(rng: Rng): CategoricalGenotype<D>;
  /** One decision changed to another of its values (what evolution's mutation does). */
  mutate(genotype: CategoricalGenotype<D>, rng: Rng): CategoricalGenotype<D>;
}

/** Checks the definition once, so a bad record fails when the plugin registers it, naming the decision. */
function checkDefinition(def: CategoricalSpaceDefinition<CategoricalDecisions>): void {
  const where = `space '${def.name}' decisions`;
  const names = Object.keys(def.decisions ?? {});
  if (names.length === 0) throw new ConfigError(where, 'needs at least one decision');
  for (const name of names) {
    if (name === '' || name.includes(PAIR) || name.includes(ASSIGN)) throw new ConfigError(`${where}.${name}`, `a decision name must be non-empty, without '${PAIR}' or '${ASSIGN}'`);
    const values = def.decisions[name];
    if (!Array.isArray(values) || values.length === 0) throw new ConfigError(`${where}.${name}`, 'needs a non-empty array of values');
    const labels = new Set<string>();
    for (const v of values as readonly unknown[]) {
      const ok = typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
      if (!ok) throw new ConfigError(`${where}.${name}`, `values must be strings, finite numbers or booleans, got ${JSON.stringify(v) ?? String(v)}`);
      const label = String(v);
      if (label.includes(PAIR) || label.includes(ASSIGN)) throw new ConfigError(`${where}.${name}`, `value '${label}' may not contain '${PAIR}' or '${ASSIGN}'`);
      if (labels.has(label)) throw new ConfigError(`${where}.${name}`, `value '${label}' is listed twice`);
      labels.add(label);
    }
  }
}

/** Builds the space; throws ConfigError naming the decision when the definition is malformed. */
export function categoricalSpace<const D extends CategoricalDecisions>(def: CategoricalSpaceDefinition<D>): CategoricalSpace<D> {
  checkDefinition(def);
  type G = CategoricalGenotype<D>;
  const names = Object.keys(def.decisions);
  const table: Decision[] = names.map((name) => ({ name, labels: (def.decisions[name] as readonly CategoricalValue[]).map(String) }));
  const valuesOf = (i: number) => def.decisions[names[i] as string] as readonly CategoricalValue[];
  const fail = (field: string, value: unknown, i: number): never => {
    throw new GenotypeError(field, `${JSON.stringify(value) ?? String(value)} is not one of ${valuesOf(i).map((v) => JSON.stringify(v)).join(', ')}`);
  };

  const space: CategoricalSpace<D> = {
    id: def.name,
    decisions: def.decisions,
    length: names.length,
    maxCandidates: Math.max(...table.map((d) => d.labels.length)),
    decision(prefix) {
      const d = table[prefix.length];
      if (!d) throw new GenotypeError('choices', `the space has ${names.length} decisions; no decision ${prefix.length}`);
      return d;
    },
    decode(choices) {
      checkChoices(space, choices);
      return Object.fromEntries(names.map((name, i) => [name, valuesOf(i)[choices[i] as number]])) as G;
    },
    encode(genotype) {
      const g = space.validate(genotype) as Record<string, CategoricalValue>;
      return names.map((name, i) => valuesOf(i).indexOf(g[name] as CategoricalValue));
    },
    validate(genotype) {
      if (typeof genotype === 'string') return space.parse(genotype);
      if (typeof genotype !== 'object' || genotype === null || Array.isArray(genotype)) {
        throw new GenotypeError('genotype', `expected an object with ${names.join(', ')}, got ${Array.isArray(genotype) ? 'an array' : JSON.stringify(genotype) ?? typeof genotype}`);
      }
      const g = genotype as Record<string, unknown>;
      const extra = Object.keys(g).filter((k) => !names.includes(k));
      if (extra.length > 0) throw new GenotypeError(extra[0] as string, `not a decision of space '${def.name}' (decisions: ${names.join(', ')})`);
      names.forEach((name, i) => {
        if (!(name in g)) throw new GenotypeError(name, `missing; one of ${valuesOf(i).map((v) => JSON.stringify(v)).join(', ')}`);
        if (!valuesOf(i).includes(g[name] as CategoricalValue)) fail(name, g[name], i);
      });
      // A fresh record in decision order, so stored genotypes look alike whatever order they came in.
      return Object.fromEntries(names.map((name) => [name, g[name]])) as G;
    },
    canonical(genotype) {
      const g = genotype as Record<string, CategoricalValue>;
      return names.map((name) => `${name}${ASSIGN}${String(g[name])}`).join(PAIR);
    },
    parse(text) {
      const trimmed = text.trim();
      if (trimmed.startsWith('{')) {
        let parsed: JsonValue;
        try {
          parsed = JSON.parse(trimmed) as JsonValue;
        } catch (e) {
          throw new GenotypeError('genotype', `not valid JSON: ${(e as Error).message}`);
        }
        return space.validate(parsed);
      }
      const g: Record<string, CategoricalValue> = {};
      for (const pair of trimmed.split(PAIR)) {
        const at = pair.indexOf(ASSIGN);
        if (at < 0) throw new GenotypeError('genotype', `expected key${ASSIGN}value pairs separated by '${PAIR}', got '${pair}' in '${text}'`);
        const name = pair.slice(0, at).trim();
        const label = pair.slice(at + 1).trim();
        const i = names.indexOf(name);
        if (i < 0) throw new GenotypeError(name, `not a decision of space '${def.name}' (decisions: ${names.join(', ')})`);
        const k = (table[i] as Decision).labels.indexOf(label);
        if (k < 0) fail(name, label, i);
        g[name] = valuesOf(i)[k] as CategoricalValue;
      }
      return space.validate(g);
    },
    sample: (rng) => space.decode(sampleChoices(space, rng)),
    mutate: (genotype, rng) => space.decode(mutateChoices(space, space.encode(genotype), rng).choices),
  };
  return space;
}

/** The factory a plugin registers for a categorical space (no options: the record is the space). */
export function categoricalSpaceFactory<const D extends CategoricalDecisions>(def: CategoricalSpaceDefinition<D> & { readonly description: string }): SpaceFactory {
  const space = categoricalSpace(def);
  return { name: def.name, description: def.description, options: {}, create: () => space };
}
