import { GenotypeError } from '../../core/errors.js';
import { COMBINES, isNasNetOp, NASNET_OPS, type Combine, type NasNetOp } from './ops.js';

/**
 * One block: two hidden states it reads (0 = h_i, the cell's input; 1 = h_{i-1}, the one before;
 * 2 + k = block k's output), an op on each, and how the two results are combined.
 */
export interface NasNetBlock {
  readonly inputs: readonly [number, number];
  readonly ops: readonly [NasNetOp, NasNetOp];
  readonly combine: Combine;
}

/**
 * A cell: its blocks and, optionally, the states concatenated into its output. Absent, the output is
 * every state no block reads (the paper's rule); NASNet-A as published lists its own (nasnet_utils'
 * used_hiddenstates), which is not derived from its indices.
 */
export interface NasNetCell {
  readonly blocks: readonly NasNetBlock[];
  readonly concat?: readonly number[];
}

export interface NasNetGenotype {
  readonly normal: NasNetCell;
  readonly reduction: NasNetCell;
}

export const CELLS = ['normal', 'reduction'] as const;
export type CellKind = (typeof CELLS)[number];

/** The states a cell's output concatenates: its own list, else every state no block reads, in order. */
export function outputStates(cell: NasNetCell): number[] {
  if (cell.concat) return cell.concat.slice();
  const read = new Set(cell.blocks.flatMap((b) => b.inputs));
  return Array.from({ length: cell.blocks.length + 2 }, (_, s) => s).filter((s) => !read.has(s));
}

function parseBlock(field: string, raw: unknown): NasNetBlock {
  const o = raw as { inputs?: unknown; ops?: unknown; combine?: unknown } | null;
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new GenotypeError(field, 'expected {inputs, ops, combine}');
  if (!Array.isArray(o.inputs) || o.inputs.length !== 2 || !o.inputs.every((i) => Number.isInteger(i))) {
    throw new GenotypeError(`${field}.inputs`, `expected two state indices, got ${JSON.stringify(o.inputs)}`);
  }
  if (!Array.isArray(o.ops) || o.ops.length !== 2) throw new GenotypeError(`${field}.ops`, `expected two ops, got ${JSON.stringify(o.ops)}`);
  o.ops.forEach((op, k) => {
    if (!isNasNetOp(op)) throw new GenotypeError(`${field}.ops[${k}]`, `unknown op ${JSON.stringify(op)}; ops: ${NASNET_OPS.join(', ')}`);
  });
  const combine = o.combine ?? 'add';
  if (!(COMBINES as readonly unknown[]).includes(combine)) throw new GenotypeError(`${field}.combine`, `unknown combine ${JSON.stringify(combine)}; combines: ${COMBINES.join(', ')}`);
  return { inputs: [o.inputs[0] as number, o.inputs[1] as number], ops: [o.ops[0] as NasNetOp, o.ops[1] as NasNetOp], combine: combine as Combine };
}

function parseCell(field: string, raw: unknown): NasNetCell {
  const o = raw as { blocks?: unknown; concat?: unknown } | null;
  if (!o || typeof o !== 'object' || !Array.isArray(o.blocks)) throw new GenotypeError(field, 'expected {blocks: [...], concat?: [...]}');
  const blocks = o.blocks.map((b: unknown, k) => parseBlock(`${field}.blocks[${k}]`, b));
  if (o.concat === undefined) return { blocks };
  if (!Array.isArray(o.concat) || !o.concat.every((i) => Number.isInteger(i))) throw new GenotypeError(`${field}.concat`, `expected a list of state indices, got ${JSON.stringify(o.concat)}`);
  return { blocks, concat: o.concat as number[] };
}

/** Structural parse of untrusted input `{normal: {blocks, concat?}, reduction: {...}}`; the space checks its rules. */
export function parseGenotype(raw: unknown): NasNetGenotype {
  const o = raw as { normal?: unknown; reduction?: unknown } | null;
  if (!o || typeof o !== 'object') throw new GenotypeError('genotype', 'expected {normal, reduction}');
  return { normal: parseCell('normal', o.normal), reduction: parseCell('reduction', o.reduction) };
}

/**
 * Canonical text of a cell: `i,j/op1,op2/combine` per block joined by `;`, then `@s,s,...` when its
 * output list differs from the derived one. An add block's two (input, op) pairs are sorted: their
 * order cannot matter.
 */
function cellText(cell: NasNetCell): string {
  const blocks = cell.blocks.map((b) => {
    let pairs: [number, NasNetOp][] = [[b.inputs[0], b.ops[0]], [b.inputs[1], b.ops[1]]];
    if (b.combine === 'add') pairs = pairs.sort((x, y) => x[0] - y[0] || x[1].localeCompare(y[1]));
    return `${pairs[0]![0]},${pairs[1]![0]}/${pairs[0]![1]},${pairs[1]![1]}/${b.combine}`;
  });
  const derived = outputStates({ blocks: cell.blocks });
  const out = outputStates(cell);
  const explicit = out.join(',') !== derived.join(',');
  return blocks.join(';') + (explicit ? `@${out.join(',')}` : '');
}

/** `normal-cell|reduction-cell`. */
export function canonicalText(g: NasNetGenotype): string {
  return `${cellText(g.normal)}|${cellText(g.reduction)}`;
}

function parseCellText(kind: CellKind, text: string): NasNetCell {
  const [body, concat] = text.split('@') as [string, string | undefined];
  const blocks = body.split(';').map((part, k): NasNetBlock => {
    const m = /^\s*(\d+),(\d+)\/([a-z0-9_]+),([a-z0-9_]+)\/([a-z]+)\s*$/.exec(part);
    if (!m) throw new GenotypeError(`${kind}.blocks[${k}]`, `expected i,j/op1,op2/combine, got '${part}'`);
    return parseBlock(`${kind}.blocks[${k}]`, { inputs: [Number(m[1]), Number(m[2])], ops: [m[3], m[4]], combine: m[5] });
  });
  if (concat === undefined) return { blocks };
  if (!/^\d+(,\d+)*$/.test(concat.trim())) throw new GenotypeError(`${kind}.concat`, `expected @s,s,..., got '@${concat}'`);
  return { blocks, concat: concat.split(',').map(Number) };
}

export function parseCanonical(text: string): NasNetGenotype {
  const parts = text.trim().split('|');
  if (parts.length !== 2) throw new GenotypeError('genotype', `expected 'normal|reduction' (two cells), got ${parts.length} part(s)`);
  return { normal: parseCellText('normal', parts[0]!), reduction: parseCellText('reduction', parts[1]!) };
}
