import type { SpaceFactory } from '../../core/space.js';
import { resolveOptions, type OptionSpecs } from '../../core/options.js';
import { NAMED_CELLS } from './named.js';
import { COMBINES, NASNET_OPS, OP_PRESETS, parseCombines, parseOps } from './ops.js';
import { DEFAULT_NASNET_CONFIG as D, NasNetSpace } from './space.js';

const OPTIONS = {
  blocks: { type: 'integer', default: D.blocks, min: 1, max: 10, help: 'blocks per cell (the paper\'s B)' },
  ops: { type: 'string', default: 'nasnet', help: `ops a block may apply: a preset (${Object.keys(OP_PRESETS).join(', ')}: the paper's 13, DARTS' 8) or a comma-separated list from ${NASNET_OPS.join(', ')}` },
  combine: { type: 'string', default: D.combines.join(','), help: `how a block may combine its two results, comma-separated from ${COMBINES.join(', ')}` },
} as const satisfies OptionSpecs;

export const nasNetSpaceFactory: SpaceFactory = {
  name: 'nasnet',
  description: 'NASNet cells: a normal and a reduction cell of B blocks, each two inputs, two ops and a combine',
  options: OPTIONS,
  create(options) {
    const o = resolveOptions('space', OPTIONS, options);
    return new NasNetSpace({ blocks: o.blocks, ops: parseOps(o.ops), combines: parseCombines(o.combine) });
  },
  named: NAMED_CELLS,
};
