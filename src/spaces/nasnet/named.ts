import type { NasNetGenotype } from './genotype.js';
import type { NasNetOp } from './ops.js';

/** A cell from nasnet_utils' three lists: ops, indices (two a block) and used_hiddenstates. */
function fromLists(ops: NasNetOp[], indices: number[], used: number[]): NasNetGenotype['normal'] {
  return {
    blocks: Array.from({ length: ops.length / 2 }, (_, k) => ({
      inputs: [indices[2 * k]!, indices[2 * k + 1]!] as const,
      ops: [ops[2 * k]!, ops[2 * k + 1]!] as const,
      combine: 'add' as const,
    })),
    concat: used.flatMap((u, s) => (u === 0 ? [s] : [])),
  };
}

/** NASNet-A as published (tensorflow/models research/slim/nets/nasnet/nasnet_utils.py; DESIGN.md). */
export const NASNET_A: NasNetGenotype = {
  normal: fromLists(
    ['sep_conv5x5', 'sep_conv3x3', 'sep_conv5x5', 'sep_conv3x3', 'avg_pool3x3', 'identity', 'avg_pool3x3', 'avg_pool3x3', 'sep_conv3x3', 'identity'],
    [0, 1, 1, 1, 0, 1, 1, 1, 0, 0],
    [1, 0, 0, 0, 0, 0, 0],
  ),
  reduction: fromLists(
    ['sep_conv5x5', 'sep_conv7x7', 'max_pool3x3', 'sep_conv7x7', 'avg_pool3x3', 'sep_conv5x5', 'identity', 'avg_pool3x3', 'sep_conv3x3', 'max_pool3x3'],
    [0, 1, 0, 1, 0, 1, 3, 2, 2, 0],
    [1, 1, 1, 0, 0, 0, 0],
  ),
};

/**
 * A hand-designed baseline of 2 blocks: two residual units (x + conv3x3(x)) stacked, h_{i-1} unused;
 * in the reduction cell the first unit's shortcut is the strided 1x1 projection identity becomes.
 */
export const RESNET_LIKE: NasNetGenotype = {
  normal: {
    blocks: [
      { inputs: [0, 0], ops: ['conv3x3', 'identity'], combine: 'add' },
      { inputs: [2, 2], ops: ['conv3x3', 'identity'], combine: 'add' },
    ],
    concat: [3],
  },
  reduction: {
    blocks: [
      { inputs: [0, 0], ops: ['conv3x3', 'identity'], combine: 'add' },
      { inputs: [2, 2], ops: ['conv3x3', 'identity'], combine: 'add' },
    ],
    concat: [3],
  },
};

/** Named genotypes with the space options they are points of. */
export const NAMED_CELLS: Readonly<Record<string, { genotype: NasNetGenotype; options: { blocks: number; ops?: string } }>> = {
  'nasnet-a': { genotype: NASNET_A, options: { blocks: 5 } },
  'resnet-like': { genotype: RESNET_LIKE, options: { blocks: 2 } },
};
