import { checkChoices } from '../../src/core/choices.js';
import { GenotypeError } from '../../src/core/errors.js';
import type { Decision, SearchSpace } from '../../src/core/space.js';

/**
 * A small NAS-FPN-like space for tests: `cells` cells, each picks two distinct inputs among the nodes
 * that exist so far (`inputs` initial nodes, then one per earlier cell) and an op. Its masks grow and
 * depend on earlier choices, which is what repair and masking logic must handle.
 */
export class ToyCellSpace implements SearchSpace<number[]> {
  readonly id = 'toy-cells';
  readonly length: number;
  readonly maxCandidates: number;
  static readonly OPS = ['sum', 'pool'];

  constructor(
    readonly cells = 3,
    readonly inputs = 2,
  ) {
    this.length = cells * 3;
    this.maxCandidates = inputs + cells - 1;
  }

  decision(prefix: readonly number[]): Decision {
    const i = prefix.length;
    if (i >= this.length) throw new GenotypeError('choices', `no decision ${i}`);
    const cell = Math.floor(i / 3);
    const slot = i % 3;
    const nodes = this.inputs + cell;
    const labels = Array.from({ length: this.maxCandidates }, (_, k) => `node${k}`);
    if (slot === 2) return { name: `cell${cell}.op`, labels: ToyCellSpace.OPS };
    const mask = labels.map((_, k) => k < nodes && (slot === 0 || k !== prefix[i - 1]));
    return { name: `cell${cell}.input${slot}`, labels, mask };
  }

  decode(choices: readonly number[]): number[] {
    checkChoices(this, choices);
    return choices.slice();
  }

  encode(g: number[]): number[] {
    return g.slice();
  }

  validate(g: unknown): number[] {
    if (!Array.isArray(g)) throw new GenotypeError('genotype', 'expected an array');
    checkChoices(this, g as number[]);
    return g as number[];
  }

  canonical(g: number[]): string {
    return g.join(',');
  }

  parse(text: string): number[] {
    return this.validate(text.split(',').map(Number));
  }
}
