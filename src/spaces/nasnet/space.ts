import { checkChoices } from '../../core/choices.js';
import { GenotypeError } from '../../core/errors.js';
import type { Decision, SearchSpace } from '../../core/space.js';
import { canonicalText, CELLS, parseCanonical, parseGenotype, type CellKind, type NasNetBlock, type NasNetCell, type NasNetGenotype } from './genotype.js';
import { PAPER_OPS, type Combine, type NasNetOp } from './ops.js';

export interface NasNetSpaceConfig {
  /** Blocks per cell (the paper's B). */
  readonly blocks: number;
  /** The ops a block may apply. */
  readonly ops: readonly NasNetOp[];
  /** How a block may combine its two results. */
  readonly combines: readonly Combine[];
}

export const DEFAULT_NASNET_CONFIG: NasNetSpaceConfig = { blocks: 5, ops: PAPER_OPS, combines: ['add'] };

/**
 * Whether `space` is a NASNet space, by its shape rather than instanceof: a plugin that bundles its own
 * copy of tsnas hands over a space of its copy's class.
 */
export function isNasNetSpace(space: unknown): space is NasNetSpace {
  const s = space as { id?: unknown; config?: Partial<Record<keyof NasNetSpaceConfig, unknown>>; validate?: unknown } | null;
  return s?.id === 'nasnet' && typeof s.validate === 'function' && typeof s.config?.blocks === 'number' && Array.isArray(s.config.ops) && Array.isArray(s.config.combines);
}

/** The paper's five decisions of a block, in its order. */
const SLOTS = ['input1', 'input2', 'op1', 'op2', 'combine'] as const;

/**
 * NASNet's cell space (Zoph et al. 2018) as decisions: a normal cell then a reduction cell, B blocks
 * each, 5 decisions a block (two inputs among h_i, h_{i-1} and the earlier blocks' outputs, an op for
 * each, a combine). Both inputs may be the same state (NASNet-A reads h_{i-1} twice). The output of a
 * searched cell concatenates the states no block reads.
 */
export class NasNetSpace implements SearchSpace<NasNetGenotype> {
  readonly id = 'nasnet';
  readonly length: number;
  readonly maxCandidates: number;
  private readonly stateLabels: string[];

  constructor(readonly config: NasNetSpaceConfig = DEFAULT_NASNET_CONFIG) {
    if (!(Number.isInteger(config.blocks) && config.blocks >= 1)) throw new GenotypeError('blocks', `need at least one block per cell, got ${config.blocks}`);
    if (config.ops.length === 0 || new Set(config.ops).size !== config.ops.length) throw new GenotypeError('ops', `need distinct ops, got ${config.ops.join(',') || 'none'}`);
    if (config.combines.length === 0 || new Set(config.combines).size !== config.combines.length) throw new GenotypeError('combines', `need distinct combines, got ${config.combines.join(',') || 'none'}`);
    this.length = CELLS.length * config.blocks * SLOTS.length;
    this.stateLabels = ['h_i', 'h_i-1', ...Array.from({ length: config.blocks - 1 }, (_, k) => `block${k}`)];
    this.maxCandidates = Math.max(this.stateLabels.length, config.ops.length, config.combines.length);
  }

  decision(prefix: readonly number[]): Decision {
    const i = prefix.length;
    if (i >= this.length) throw new GenotypeError('choices', `the space has ${this.length} decisions; no decision ${i}`);
    const perCell = this.config.blocks * SLOTS.length;
    const cell = CELLS[Math.floor(i / perCell)] as CellKind;
    const block = Math.floor((i % perCell) / SLOTS.length);
    const slot = SLOTS[i % SLOTS.length] as (typeof SLOTS)[number];
    const name = `${cell}.block${block}.${slot}`;
    switch (slot) {
      case 'input1':
      case 'input2':
        return { name, labels: this.stateLabels, mask: this.stateLabels.map((_, s) => s < 2 + block) };
      case 'op1':
      case 'op2':
        return { name, labels: this.config.ops };
      case 'combine':
        return { name, labels: this.config.combines };
    }
  }

  decode(choices: readonly number[]): NasNetGenotype {
    checkChoices(this, choices);
    const cell = (c: number): NasNetCell => ({
      blocks: Array.from({ length: this.config.blocks }, (_, b): NasNetBlock => {
        const at = (c * this.config.blocks + b) * SLOTS.length;
        const [i, j, o1, o2, comb] = choices.slice(at, at + SLOTS.length) as [number, number, number, number, number];
        return { inputs: [i, j], ops: [this.config.ops[o1]!, this.config.ops[o2]!], combine: this.config.combines[comb]! };
      }),
    });
    return { normal: cell(0), reduction: cell(1) };
  }

  /** The decisions of a genotype; a cell's own output list (NASNet-A's) is not a decision and is dropped. */
  encode(g: NasNetGenotype): number[] {
    const v = this.validate(g);
    return CELLS.flatMap((kind) =>
      v[kind].blocks.flatMap((b) => [b.inputs[0], b.inputs[1], this.config.ops.indexOf(b.ops[0]), this.config.ops.indexOf(b.ops[1]), this.config.combines.indexOf(b.combine)]),
    );
  }

  /** Checks a genotype (object or canonical text) against this space, naming the cell, block and field. */
  validate(raw: unknown): NasNetGenotype {
    const g = typeof raw === 'string' ? parseCanonical(raw) : parseGenotype(raw);
    return { normal: this.checkCell('normal', g.normal), reduction: this.checkCell('reduction', g.reduction) };
  }

  private checkCell(kind: CellKind, cell: NasNetCell): NasNetCell {
    const B = this.config.blocks;
    if (cell.blocks.length !== B) throw new GenotypeError(`${kind}.blocks`, `expected ${B} blocks (the space option blocks), got ${cell.blocks.length}`);
    cell.blocks.forEach((b, k) => {
      const field = `${kind}.blocks[${k}]`;
      b.inputs.forEach((s, n) => {
        if (s < 0 || s >= 2 + k) throw new GenotypeError(`${field}.inputs[${n}]`, `state ${s} does not exist yet (states 0..${1 + k}: h_i, h_i-1${k > 0 ? ' and earlier blocks' : ''})`);
      });
      b.ops.forEach((op, n) => {
        if (!this.config.ops.includes(op)) throw new GenotypeError(`${field}.ops[${n}]`, `op ${op} is not in this space's ops (${this.config.ops.join(', ')}); add it with the space option ops`);
      });
      if (!this.config.combines.includes(b.combine)) throw new GenotypeError(`${field}.combine`, `combine ${b.combine} is not enabled (${this.config.combines.join(', ')}); enable it with the space option combine`);
    });
    if (cell.concat) {
      const states = B + 2;
      if (cell.concat.length === 0) throw new GenotypeError(`${kind}.concat`, 'the output must concatenate at least one state');
      cell.concat.forEach((s, n) => {
        if (s < 0 || s >= states) throw new GenotypeError(`${kind}.concat[${n}]`, `state ${s} does not exist (states 0..${states - 1})`);
      });
      if (new Set(cell.concat).size !== cell.concat.length) throw new GenotypeError(`${kind}.concat`, `a state is listed twice: ${cell.concat.join(',')}`);
      const read = new Set(cell.blocks.flatMap((b) => b.inputs));
      for (let s = 2; s < states; s++) {
        if (!read.has(s) && !cell.concat.includes(s)) throw new GenotypeError(`${kind}.concat`, `block ${s - 2}'s output (state ${s}) is neither read nor concatenated`);
      }
    }
    const blocks = cell.blocks.map((b): NasNetBlock => ({ inputs: [b.inputs[0], b.inputs[1]], ops: [b.ops[0], b.ops[1]], combine: b.combine }));
    return cell.concat ? { blocks, concat: cell.concat.slice() } : { blocks };
  }

  canonical(g: NasNetGenotype): string {
    return canonicalText(g);
  }

  parse(text: string): NasNetGenotype {
    return this.validate(parseCanonical(text));
  }
}
