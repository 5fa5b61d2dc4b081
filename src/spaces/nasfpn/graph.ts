import type { LevelRange, NasFpnGenotype, NasFpnOp } from './genotype.js';
import { nodeLevels, numLevels } from './genotype.js';

/** One cell, resolved: which input plays f0 (the coarser, for global_pool), what is added in, what it outputs. */
export interface ResolvedCell {
  readonly node: number;
  readonly level: number;
  readonly op: NasFpnOp;
  /** [f0, f1]: for global_pool, f0 is the coarser input (the first on a tie); for sum, input order. */
  readonly operands: readonly [number, number];
  /** Earlier nodes of the same level that nothing had consumed, added in by an output cell. */
  readonly extras: readonly number[];
  readonly isOutput: boolean;
}

export interface ResolvedPyramid {
  readonly cells: readonly ResolvedCell[];
  readonly levels: readonly number[];
  /** Output node of each level, minLevel..maxLevel. */
  readonly outputs: readonly number[];
}

/**
 * Resolves a genotype into the computation the model builds, following Google's NAS-FPN code: inputs
 * count as consumed when a cell reads them; an output cell then adds every earlier, still unconsumed
 * node of its level; the last `levels` nodes are the pyramid's outputs.
 */
export function resolvePyramid(g: NasFpnGenotype, r: LevelRange): ResolvedPyramid {
  const levels = nodeLevels(g, r);
  const L = numLevels(r);
  const consumed = new Array<number>(levels.length).fill(0);
  const firstOutput = g.cells.length - L;
  const cells = g.cells.map((c, k): ResolvedCell => {
    const node = L + k;
    const [a, b] = c.inputs;
    consumed[a]!++;
    consumed[b]!++;
    const operands: [number, number] = c.op === 'global_pool' && (levels[b] as number) > (levels[a] as number) ? [b, a] : [a, b];
    const extras: number[] = [];
    const isOutput = k >= firstOutput;
    if (isOutput) {
      for (let j = 0; j < node; j++) {
        if (consumed[j] === 0 && levels[j] === c.level) {
          consumed[j]!++;
          extras.push(j);
        }
      }
    }
    return { node, level: c.level, op: c.op, operands, extras, isOutput };
  });
  const outputs = Array.from({ length: L }, (_, i) => {
    const node = cells.slice(firstOutput).find((c) => c.level === r.minLevel + i)?.node;
    if (node === undefined) throw new Error(`no output cell produces level ${r.minLevel + i}`);
    return node;
  });
  return { cells, levels, outputs };
}

/** Human-readable lines, e.g. `n5 = global_pool(P6, P4) @P4` and `P5out = global_pool(n8, n7) + P5 @P5`. */
export function describePyramid(g: NasFpnGenotype, r: LevelRange): string[] {
  const p = resolvePyramid(g, r);
  const L = numLevels(r);
  const name = (n: number) => {
    if (n < L) return `P${r.minLevel + n}`;
    const cell = p.cells[n - L] as ResolvedCell;
    return cell.isOutput ? `P${cell.level}out` : `n${n}`;
  };
  return p.cells.map((c) => {
    const expr = `${c.op}(${name(c.operands[0])}, ${name(c.operands[1])})`;
    return `${name(c.node)} = ${[expr, ...c.extras.map(name)].join(' + ')} @P${c.level}`;
  });
}
