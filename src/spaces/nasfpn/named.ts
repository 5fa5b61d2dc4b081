import type { NasFpnGenotype } from './genotype.js';

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
