import { PAPER_OPS, type NasFpnGenotype, type NasFpnOp } from './genotype.js';

/**
 * Named pyramids over P3-P7 (node 0..4 = P3..P7; cell k creates node 5+k; the last five cells are the
 * outputs). They are the baselines a search must beat. A cell merges exactly two inputs, so the
 * hand-designed pyramids are written with their own cell counts:
 */
export const NAMED_PYRAMIDS: Readonly<Record<string, NasFpnGenotype>> = {
  /**
   * FPN (Lin et al. 2017) as merging cells, 5 cells: the top-down pathway P6' = P6 + up(P7),
   * P5' = P5 + up(P6'), ... P3' = P3 + up(P4'). FPN passes P7 through unchanged; a cell needs two
   * inputs, so P7' = P7 + pool(P6'): one extra bottom-up link.
   */
  fpn: {
    cells: [
      { level: 6, op: 'sum', inputs: [3, 4] }, // n5 = P6'
      { level: 5, op: 'sum', inputs: [2, 5] }, // n6 = P5'
      { level: 4, op: 'sum', inputs: [1, 6] }, // n7 = P4'
      { level: 3, op: 'sum', inputs: [0, 7] }, // n8 = P3'
      { level: 7, op: 'sum', inputs: [4, 5] }, // n9 = P7'
    ],
  },
  /**
   * PANet-like (Liu et al. 2018), 8 cells: a top-down pathway (3 intermediate cells at P6, P5, P4),
   * then a bottom-up one whose cells are the outputs P3' .. P7'.
   */
  panet: {
    cells: [
      { level: 6, op: 'sum', inputs: [3, 4] }, // n5 = t6
      { level: 5, op: 'sum', inputs: [2, 5] }, // n6 = t5
      { level: 4, op: 'sum', inputs: [1, 6] }, // n7 = t4
      { level: 3, op: 'sum', inputs: [0, 7] }, // n8 = P3'
      { level: 4, op: 'sum', inputs: [7, 8] }, // n9 = P4' = t4 + pool(P3')
      { level: 5, op: 'sum', inputs: [6, 9] }, // n10 = P5'
      { level: 6, op: 'sum', inputs: [5, 10] }, // n11 = P6'
      { level: 7, op: 'sum', inputs: [4, 11] }, // n12 = P7'
    ],
  },
  /**
   * BiFPN-like (EfficientDet, Tan et al. 2020): PANet's top-down-then-bottom-up topology with fast
   * normalised weighted fusion in every cell. BiFPN's bottom-up nodes also read their level's input
   * node a second time; a cell reads two nodes and adds in only unconsumed ones, so that skip is left out.
   */
  bifpn: {
    cells: [
      { level: 6, op: 'weighted_sum', inputs: [3, 4] },
      { level: 5, op: 'weighted_sum', inputs: [2, 5] },
      { level: 4, op: 'weighted_sum', inputs: [1, 6] },
      { level: 3, op: 'weighted_sum', inputs: [0, 7] },
      { level: 4, op: 'weighted_sum', inputs: [7, 8] },
      { level: 5, op: 'weighted_sum', inputs: [6, 9] },
      { level: 6, op: 'weighted_sum', inputs: [5, 10] },
      { level: 7, op: 'weighted_sum', inputs: [4, 11] },
    ],
  },
  /**
   * The floor: every output level from its own input level only (op `first`; the second input is
   * ignored), so the neck is a 3x3 conv per level and per repeat with no cross-scale connection.
   */
  'no-fusion': {
    cells: [
      { level: 3, op: 'first', inputs: [0, 1] },
      { level: 4, op: 'first', inputs: [1, 0] },
      { level: 5, op: 'first', inputs: [2, 1] },
      { level: 6, op: 'first', inputs: [3, 2] },
      { level: 7, op: 'first', inputs: [4, 3] },
    ],
  },
  /** The published NAS-FPN cell (NASFPN_BLOCK_SPECS in tensorflow/models), 7 cells. */
  'nasfpn-paper': {
    cells: [
      { level: 4, op: 'global_pool', inputs: [1, 3] },
      { level: 4, op: 'sum', inputs: [1, 5] },
      { level: 3, op: 'sum', inputs: [0, 6] },
      { level: 4, op: 'sum', inputs: [6, 7] },
      { level: 5, op: 'global_pool', inputs: [7, 8] },
      { level: 7, op: 'global_pool', inputs: [6, 9] },
      { level: 6, op: 'global_pool', inputs: [9, 10] },
    ],
  },
};

/** Ops a named pyramid needs beyond the paper's two (the space option `ops` it is trained with). */
export const NAMED_PYRAMID_OPS: Readonly<Record<string, readonly NasFpnOp[]>> = {
  bifpn: [...PAPER_OPS, 'weighted_sum'],
  'no-fusion': [...PAPER_OPS, 'first'],
};
