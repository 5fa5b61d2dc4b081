import type * as tf from '@tensorflow/tfjs-core';
import type { Ctx } from '../../nn/layers.js';
import type { NasNetGenotype } from '../../spaces/nasnet/genotype.js';
import { buildCell } from './cell.js';

/** How the genotype's cells are stacked (the paper's N@F notation: N normal cells per stage, F filters). */
export interface NasNetStagesConfig {
  /** Normal cells per stage (N). */
  readonly cellsPerStage: number;
  /** Filters of the first stage (F); doubled by each reduction cell. */
  readonly filters: number;
  /** Reduction cells, one between consecutive stages (the CIFAR network has 2: 3 stages). */
  readonly reductions: number;
}

/**
 * The cells of a NASNet network on a stem's output: per stage N normal cells, a reduction cell (twice
 * the filters) between stages, each cell reading the two previous outputs (both the stem at first).
 * Returns the last cell's output; what comes before and after (stem, head) belongs to the task.
 */
export function nasNetStages(ctx: Ctx, genotype: NasNetGenotype, c: NasNetStagesConfig, stem: tf.Tensor4D): tf.Tensor4D {
  let [prev, cur] = [stem, stem];
  let filters = c.filters;
  let index = 0;
  for (let stage = 0; stage <= c.reductions; stage++) {
    if (stage > 0) {
      filters *= 2;
      [prev, cur] = [cur, buildCell(ctx, `cell${index++}`, genotype.reduction, cur, prev, filters, true)];
    }
    for (let k = 0; k < c.cellsPerStage; k++) [prev, cur] = [cur, buildCell(ctx, `cell${index++}`, genotype.normal, cur, prev, filters, false)];
  }
  return cur;
}
