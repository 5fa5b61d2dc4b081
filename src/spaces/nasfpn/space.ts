import { checkChoices } from '../../core/choices.js';
import { GenotypeError } from '../../core/errors.js';
import type { Decision, SearchSpace } from '../../core/space.js';
import { canonicalText, numLevels, PAPER_OPS, parseCanonical, parseCells, type LevelRange, type NasFpnCell, type NasFpnGenotype, type NasFpnOp } from './genotype.js';
import { NAMED_PYRAMIDS } from './named.js';

/**
 * How the space is configured. `channels` and `repeats` shape the model built from a genotype, not
 * the decisions: an evaluator's options of those names override them (their place as space options is
 * deprecated).
 */
export interface NasFpnSpaceConfig extends LevelRange {
  /** Merging cells per pyramid: `cells - levels` intermediate cells, then one output cell per level. */
  readonly cells: number;
  /** Feature channels of every pyramid node. */
  readonly channels: number;
  /** How many times the pyramid is stacked (the outputs of one repeat are the inputs of the next). */
  readonly repeats: number;
  /** The merge ops a cell may choose: the paper's two unless a user opts into more. */
  readonly ops: readonly NasFpnOp[];
}

export const DEFAULT_NASFPN_CONFIG: NasFpnSpaceConfig = { minLevel: 3, maxLevel: 7, cells: 7, channels: 32, repeats: 2, ops: PAPER_OPS };

const SLOTS = ['input_i', 'input_j', 'level', 'op'] as const;

/**
 * The NAS-FPN merging-cell space as decisions, 4 per cell, in the paper's order: first input, second
 * input (a different node), output level, op. Inputs are chosen among the nodes that exist so far
 * (masks grow with each cell). As in Google's encoding of the space, intermediate cells output one of
 * the levels above the finest, and the output cells' levels form a permutation of all levels.
 */
/**
 * Whether `space` is a NAS-FPN space, of this copy of tsnas or another (a plugin may bundle its own, so
 * `instanceof` would refuse it): its id and the pyramid config evaluators read.
 */
export function isNasFpnSpace(space: unknown): space is NasFpnSpace {
  const s = space as { id?: unknown; config?: Partial<Record<keyof NasFpnSpaceConfig, unknown>>; validate?: unknown } | null;
  return s?.id === 'nasfpn' && typeof s.validate === 'function' && typeof s.config === 'object' && s.config !== null
    && ['minLevel', 'maxLevel', 'cells', 'channels', 'repeats'].every((k) => typeof s.config?.[k as keyof NasFpnSpaceConfig] === 'number') && Array.isArray(s.config.ops);
}

export class NasFpnSpace implements SearchSpace<NasFpnGenotype> {
  readonly id = 'nasfpn';
  readonly length: number;
  readonly maxCandidates: number;
  readonly levels: number;
  readonly intermediate: number;
  private readonly nodeLabels: string[];
  private readonly levelLabels: string[];

  constructor(readonly config: NasFpnSpaceConfig = DEFAULT_NASFPN_CONFIG) {
    this.levels = numLevels(config);
    if (this.levels < 2) throw new GenotypeError('levels', `need at least 2 pyramid levels, got ${config.minLevel}..${config.maxLevel}`);
    if (config.cells < this.levels) throw new GenotypeError('cells', `need at least one output cell per level (${this.levels}), got ${config.cells}`);
    this.intermediate = config.cells - this.levels;
    this.length = 4 * config.cells;
    const maxNodes = this.levels + config.cells - 1;
    this.nodeLabels = Array.from({ length: maxNodes }, (_, i) => (i < this.levels ? `P${config.minLevel + i}` : `n${i}`));
    this.levelLabels = Array.from({ length: this.levels }, (_, i) => `P${config.minLevel + i}`);
    if (config.ops.length === 0 || new Set(config.ops).size !== config.ops.length) throw new GenotypeError('ops', `need distinct ops, got ${config.ops.join(',') || 'none'}`);
    this.maxCandidates = Math.max(maxNodes, this.levels, config.ops.length);
  }

  decision(prefix: readonly number[]): Decision {
    const i = prefix.length;
    if (i >= this.length) throw new GenotypeError('choices', `the space has ${this.length} decisions; no decision ${i}`);
    const cell = Math.floor(i / 4);
    const slot = SLOTS[i % 4] as (typeof SLOTS)[number];
    const name = `cell${cell}.${slot}`;
    const nodes = this.levels + cell;
    switch (slot) {
      case 'input_i':
        return { name, labels: this.nodeLabels, mask: this.nodeLabels.map((_, k) => k < nodes) };
      case 'input_j':
        return { name, labels: this.nodeLabels, mask: this.nodeLabels.map((_, k) => k < nodes && k !== prefix[i - 1]) };
      case 'level':
        return { name, labels: this.levelLabels, mask: this.levelMask(prefix, cell) };
      case 'op':
        return { name, labels: this.config.ops };
    }
  }

  /** Intermediate cells: any level but the finest. Output cells: the levels no earlier output cell took. */
  private levelMask(prefix: readonly number[], cell: number): boolean[] {
    if (cell < this.intermediate) return this.levelLabels.map((_, k) => k > 0);
    const taken = new Set<number>();
    for (let c = this.intermediate; c < cell; c++) taken.add(prefix[4 * c + 2] as number);
    return this.levelLabels.map((_, k) => !taken.has(k));
  }

  decode(choices: readonly number[]): NasFpnGenotype {
    checkChoices(this, choices);
    const cells: NasFpnCell[] = [];
    for (let c = 0; c < this.config.cells; c++) {
      const [i, j, level, op] = choices.slice(4 * c, 4 * c + 4) as [number, number, number, number];
      cells.push({ inputs: [i, j], level: this.config.minLevel + level, op: this.config.ops[op] as NasFpnOp });
    }
    return { cells };
  }

  encode(g: NasFpnGenotype): number[] {
    return this.validate(g).cells.flatMap((c) => [c.inputs[0], c.inputs[1], c.level - this.config.minLevel, this.config.ops.indexOf(c.op)]);
  }

  /** Checks a genotype against this space, naming the first bad cell field. */
  validate(raw: unknown): NasFpnGenotype {
    const g = typeof raw === 'string' ? parseCanonical(raw) : parseCells(raw);
    if (g.cells.length !== this.config.cells) {
      throw new GenotypeError('cells', `expected ${this.config.cells} cells (${this.intermediate} intermediate + ${this.levels} output), got ${g.cells.length}`);
    }
    const choices: number[] = [];
    g.cells.forEach((c, k) => {
      const nodes = this.levels + k;
      for (const [slot, idx] of [['inputs[0]', c.inputs[0]], ['inputs[1]', c.inputs[1]]] as const) {
        if (idx < 0 || idx >= nodes) throw new GenotypeError(`cells[${k}].${slot}`, `node ${idx} does not exist yet (nodes 0..${nodes - 1})`);
      }
      if (c.inputs[0] === c.inputs[1]) throw new GenotypeError(`cells[${k}].inputs`, `the two inputs must differ, got ${c.inputs[0]} twice`);
      const levelIdx = c.level - this.config.minLevel;
      const mask = this.levelMask(choices, k);
      if (!mask[levelIdx]) {
        const allowed = this.levelLabels.filter((_, x) => mask[x]).map((l) => l.slice(1));
        const kind = k < this.intermediate ? 'an intermediate' : 'an output';
        throw new GenotypeError(`cells[${k}].level`, `level ${c.level} is not allowed for ${kind} cell here; allowed: ${allowed.join(', ')}`);
      }
      if (!this.config.ops.includes(c.op)) throw new GenotypeError(`cells[${k}].op`, `op ${c.op} is not in this space's ops (${this.config.ops.join(', ')}); add it with the space option ops`);
      choices.push(c.inputs[0], c.inputs[1], levelIdx, this.config.ops.indexOf(c.op));
    });
    return { cells: g.cells.map((c) => ({ inputs: [c.inputs[0], c.inputs[1]], level: c.level, op: c.op })) };
  }

  canonical(g: NasFpnGenotype): string {
    return canonicalText(g, this.config);
  }

  parse(text: string): NasFpnGenotype {
    return this.validate(parseCanonical(text));
  }

  /** The named pyramids (the factory's `named`, from the same table) that are points of this configuration (cells and levels). */
  named(): Readonly<Record<string, NasFpnGenotype>> {
    const out: Record<string, NasFpnGenotype> = {};
    for (const [name, g] of Object.entries(NAMED_PYRAMIDS)) {
      try {
        out[name] = this.validate(g);
      } catch {
        // defined for another cell count: not a point of this configuration
      }
    }
    return out;
  }
}
