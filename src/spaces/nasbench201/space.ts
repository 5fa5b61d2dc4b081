import { checkChoices } from '../../core/choices.js';
import { GenotypeError } from '../../core/errors.js';
import type { Decision, SearchSpace } from '../../core/space.js';

/** The five candidate operations of every edge, in NAS-Bench-201's naming. */
export const NB201_OPS = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] as const;
export type Nb201Op = (typeof NB201_OPS)[number];

/** The six edges (from -> to) of the 4-node cell, in the order of the official architecture string. */
export const NB201_EDGES: ReadonlyArray<readonly [from: number, to: number]> = [
  [0, 1],
  [0, 2],
  [1, 2],
  [0, 3],
  [1, 3],
  [2, 3],
];

/** A NAS-Bench-201 cell: the op on each edge, in NB201_EDGES order. */
export interface Nb201Genotype {
  readonly edges: readonly Nb201Op[];
}

const DECISIONS: Decision[] = NB201_EDGES.map(([from, to]) => ({ name: `edge(${from}->${to})`, labels: NB201_OPS }));

/** The official string form, e.g. `|nor_conv_3x3~0|+|none~0|skip_connect~1|+|...~0|...~1|...~2|`. */
export function toArchString(g: Nb201Genotype): string {
  const groups: string[] = [];
  let k = 0;
  for (let node = 1; node <= 3; node++) {
    const parts: string[] = [];
    for (let from = 0; from < node; from++) parts.push(`${g.edges[k++]}~${from}`);
    groups.push(`|${parts.join('|')}|`);
  }
  return groups.join('+');
}

/** Parses the official string form; errors name the node group or edge that is wrong. */
export function parseArchString(text: string): Nb201Genotype {
  const groups = text.trim().split('+');
  if (groups.length !== 3) throw new GenotypeError('arch', `expected 3 node groups separated by '+', got ${groups.length} in '${text}'`);
  const edges: Nb201Op[] = [];
  groups.forEach((group, i) => {
    const node = i + 1;
    if (!group.startsWith('|') || !group.endsWith('|')) throw new GenotypeError(`node ${node}`, `group '${group}' must be enclosed in '|'`);
    const parts = group.slice(1, -1).split('|');
    if (parts.length !== node) throw new GenotypeError(`node ${node}`, `expected ${node} edges, got ${parts.length} in '${group}'`);
    parts.forEach((part, from) => {
      const [op, src] = part.split('~');
      if (src !== String(from)) throw new GenotypeError(`edge(${from}->${node})`, `expected '~${from}' in '${part}'`);
      if (!(NB201_OPS as readonly string[]).includes(op as string)) {
        throw new GenotypeError(`edge(${from}->${node})`, `unknown op '${op}'; ops: ${NB201_OPS.join(', ')}`);
      }
      edges.push(op as Nb201Op);
    });
  });
  return { edges };
}

/**
 * NAS-Bench-201: one decision per edge (5 ops each, no masks), 5^6 = 15,625 cells. The canonical
 * string is the official architecture string, the key of the benchmark tables (isomorphic cells are
 * tabulated separately, so they are not merged).
 */
export class NasBench201Space implements SearchSpace<Nb201Genotype> {
  readonly id = 'nasbench201';
  readonly length = DECISIONS.length;
  readonly maxCandidates = NB201_OPS.length;

  decision(prefix: readonly number[]): Decision {
    const d = DECISIONS[prefix.length];
    if (!d) throw new GenotypeError('choices', `the space has ${this.length} decisions; no decision ${prefix.length}`);
    return d;
  }

  decode(choices: readonly number[]): Nb201Genotype {
    checkChoices(this, choices);
    return { edges: choices.map((c) => NB201_OPS[c] as Nb201Op) };
  }

  encode(g: Nb201Genotype): number[] {
    return this.validate(g).edges.map((op) => NB201_OPS.indexOf(op));
  }

  validate(g: unknown): Nb201Genotype {
    if (typeof g === 'string') return parseArchString(g);
    const edges = (g as { edges?: unknown } | null)?.edges;
    if (!Array.isArray(edges)) throw new GenotypeError('edges', 'expected an array of 6 ops (or the official arch string)');
    if (edges.length !== this.length) throw new GenotypeError('edges', `expected ${this.length} ops, got ${edges.length}`);
    edges.forEach((op, i) => {
      if (!(NB201_OPS as readonly unknown[]).includes(op)) {
        throw new GenotypeError(`edges[${i}] ${DECISIONS[i]?.name}`, `unknown op ${JSON.stringify(op)}; ops: ${NB201_OPS.join(', ')}`);
      }
    });
    return { edges: edges as Nb201Op[] };
  }

  canonical(g: Nb201Genotype): string {
    return toArchString(g);
  }

  parse(text: string): Nb201Genotype {
    return parseArchString(text);
  }
}
