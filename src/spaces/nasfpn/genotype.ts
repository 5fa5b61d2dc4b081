import { GenotypeError } from '../../core/errors.js';

/**
 * Binary merge ops of a cell. The paper's two have no trainable parameters:
 * - `sum`: a + b.
 * - `global_pool` ("attention" in Google's code): f0 + f1 * sigmoid(global_max_pool(f0)), f0 being the
 *   coarser input (the first on a tie). We follow Google's published code (max pooling of the coarser
 *   input); mmdetection's variant uses global average pooling of its second argument instead.
 * Two more a space can opt into (`ops` option), so that other published necks are points of it:
 * - `weighted_sum`: EfficientDet's fast normalised fusion, sum_k w_k x_k / (sum_k w_k + 1e-4) with
 *   w = ReLU(trainable scalars), over both inputs and any same-level nodes an output cell adds in.
 * - `first`: the first input alone; the second is read (consumed) but not used. It lets a pyramid have
 *   no cross-scale connection at all: the `no-fusion` floor.
 */
export const NASFPN_OPS = ['sum', 'global_pool', 'weighted_sum', 'first'] as const;
export type NasFpnOp = (typeof NASFPN_OPS)[number];

/** The paper's ops: what the space searches unless told otherwise. */
export const PAPER_OPS: readonly NasFpnOp[] = ['sum', 'global_pool'];

/** One merging cell: two input node indices, an output pyramid level and an op. */
export interface NasFpnCell {
  readonly inputs: readonly [number, number];
  readonly level: number;
  readonly op: NasFpnOp;
}

/**
 * A pyramid architecture: its cells in order. Nodes 0..L-1 are the input levels minLevel..maxLevel
 * (P3-P7 by default); cell k creates node L+k. The last L cells are output cells, one per level.
 */
export interface NasFpnGenotype {
  readonly cells: readonly NasFpnCell[];
}

/** The level range of a pyramid (inclusive), e.g. 3..7 for P3-P7. */
export interface LevelRange {
  readonly minLevel: number;
  readonly maxLevel: number;
}

export const numLevels = (r: LevelRange): number => r.maxLevel - r.minLevel + 1;

/** Level of every node: the inputs', then each cell's. */
export function nodeLevels(g: NasFpnGenotype, r: LevelRange): number[] {
  const levels = Array.from({ length: numLevels(r) }, (_, i) => r.minLevel + i);
  for (const c of g.cells) levels.push(c.level);
  return levels;
}

function opOf(field: string, raw: unknown): NasFpnOp {
  if (raw === 'attention') return 'global_pool'; // Google's name
  if (!(NASFPN_OPS as readonly unknown[]).includes(raw)) throw new GenotypeError(field, `unknown op ${JSON.stringify(raw)}; ops: ${NASFPN_OPS.join(', ')}`);
  return raw as NasFpnOp;
}

/**
 * Structural parse of untrusted input: `{cells: [{inputs: [i, j], level, op}, ...]}`, or Google's
 * block-spec list `[[level, 'attention'|'sum', [i, j], is_output], ...]`. Space rules are checked by
 * the space's `validate`.
 */
export function parseCells(raw: unknown): NasFpnGenotype {
  const list = Array.isArray(raw) ? raw : (raw as { cells?: unknown } | null)?.cells;
  if (!Array.isArray(list)) throw new GenotypeError('cells', 'expected {"cells": [...]} or a list of block specs');
  const cells = list.map((c: unknown, k): NasFpnCell => {
    const field = `cells[${k}]`;
    if (Array.isArray(c)) {
      const [level, op, inputs] = c as unknown[];
      return { level: level as number, op: opOf(`${field}.op`, op), inputs: inputs as [number, number] };
    }
    const o = c as { inputs?: unknown; level?: unknown; op?: unknown } | null;
    if (!o || typeof o !== 'object') throw new GenotypeError(field, 'expected {inputs, level, op}');
    return { level: o.level as number, op: opOf(`${field}.op`, o.op), inputs: o.inputs as [number, number] };
  });
  cells.forEach((c, k) => {
    if (!Array.isArray(c.inputs) || c.inputs.length !== 2 || !c.inputs.every((i) => Number.isInteger(i))) {
      throw new GenotypeError(`cells[${k}].inputs`, `expected two node indices, got ${JSON.stringify(c.inputs)}`);
    }
    if (!Number.isInteger(c.level)) throw new GenotypeError(`cells[${k}].level`, `expected an integer level, got ${JSON.stringify(c.level)}`);
  });
  return { cells };
}

/**
 * Canonical text: `level/op/i,j` per cell, joined by `;`. Inputs are sorted where the order cannot
 * matter: always for `sum` and `weighted_sum`, and for `global_pool` when the inputs are at different
 * levels (the op then picks f0 by level, not by position); never for `first`.
 */
export function canonicalText(g: NasFpnGenotype, r: LevelRange): string {
  const levels = nodeLevels(g, r);
  return g.cells
    .map((c) => {
      const [a, b] = c.inputs;
      const symmetric = c.op === 'sum' || c.op === 'weighted_sum' || (c.op === 'global_pool' && levels[a] !== levels[b]);
      const [i, j] = symmetric && b < a ? [b, a] : [a, b];
      return `${c.level}/${c.op}/${i},${j}`;
    })
    .join(';');
}

/** Parses the canonical text form. */
export function parseCanonical(text: string): NasFpnGenotype {
  const cells = text
    .trim()
    .split(';')
    .map((part, k): NasFpnCell => {
      const m = /^\s*(\d+)\/([a-z_]+)\/(\d+),(\d+)\s*$/.exec(part);
      if (!m) throw new GenotypeError(`cells[${k}]`, `expected level/op/i,j, got '${part}'`);
      return { level: Number(m[1]), op: opOf(`cells[${k}].op`, m[2]), inputs: [Number(m[3]), Number(m[4])] };
    });
  return { cells };
}
