import type { SpaceFactory } from '../../core/evaluator.js';
import { resolveOptions, type OptionSpecs } from '../../core/options.js';
import { NAMED_PYRAMIDS } from './named.js';
import { DEFAULT_NASFPN_CONFIG as D, NasFpnSpace } from './space.js';

const OPTIONS = {
  cells: { type: 'integer', default: D.cells, min: 2, help: 'merging cells per pyramid (intermediate + one output cell per level)' },
  minLevel: { type: 'integer', default: D.minLevel, min: 1, max: 8, help: 'finest pyramid level (P3 = stride 8)' },
  maxLevel: { type: 'integer', default: D.maxLevel, min: 2, max: 9, help: 'coarsest pyramid level' },
  channels: { type: 'integer', default: D.channels, min: 1, help: 'channels of every pyramid node' },
  repeats: { type: 'integer', default: D.repeats, min: 1, help: 'times the pyramid is stacked' },
} as const satisfies OptionSpecs;

export const nasFpnSpaceFactory: SpaceFactory = {
  name: 'nasfpn',
  description: 'NAS-FPN merging cells: per cell two inputs among existing nodes, an output level and an op (sum | global_pool)',
  options: OPTIONS,
  create(options) {
    return new NasFpnSpace(resolveOptions('space', OPTIONS, options));
  },
  named: Object.fromEntries(Object.entries(NAMED_PYRAMIDS).map(([name, genotype]) => [name, { genotype, options: { cells: genotype.cells.length } }])),
};
