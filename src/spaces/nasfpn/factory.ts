import { isMainThread } from 'node:worker_threads';
import { ConfigError } from '../../core/errors.js';
import type { SpaceFactory } from '../../core/space.js';
import { resolveOptions, type OptionSpecs } from '../../core/options.js';
import { NASFPN_OPS, type NasFpnOp } from './genotype.js';
import { NAMED_PYRAMIDS, NAMED_PYRAMID_OPS } from './named.js';
import { DEFAULT_NASFPN_CONFIG as D, NasFpnSpace } from './space.js';

const OPTIONS = {
  cells: { type: 'integer', default: D.cells, min: 2, help: 'merging cells per pyramid (intermediate + one output cell per level)' },
  minLevel: { type: 'integer', default: D.minLevel, min: 1, max: 8, help: 'finest pyramid level (P3 = stride 8)' },
  maxLevel: { type: 'integer', default: D.maxLevel, min: 2, max: 9, help: 'coarsest pyramid level' },
  channels: { type: 'integer', default: D.channels, min: 1, help: "deprecated: the evaluator's channels option (channels of every pyramid node)" },
  repeats: { type: 'integer', default: D.repeats, min: 1, help: "deprecated: the evaluator's repeats option (times the pyramid is stacked)" },
  ops: { type: 'string', default: D.ops.join(','), help: `merge ops a cell may choose, comma-separated, from ${NASFPN_OPS.join(', ')}` },
} as const satisfies OptionSpecs;

function parseOps(text: string): NasFpnOp[] {
  const ops = text.split(',').map((s) => s.trim());
  for (const op of ops) {
    if (!(NASFPN_OPS as readonly string[]).includes(op)) throw new ConfigError('space.ops', `unknown op '${op}'; ops: ${NASFPN_OPS.join(', ')}`);
  }
  if (new Set(ops).size !== ops.length) throw new ConfigError('space.ops', `an op is listed twice: ${text}`);
  return ops as NasFpnOp[];
}

/** The options that shape the model, not the decisions: they moved to the evaluator (detection-proxy). */
const MODEL_OPTIONS = ['channels', 'repeats'] as const;
let warnedModelOptions = false;

/** Says once, in the main thread (pool workers build the same space again), that a model option was given to the space, where it still works. */
function warnModelOptions(options: Readonly<Record<string, unknown>>): void {
  const given = MODEL_OPTIONS.filter((k) => options[k] !== undefined);
  if (given.length === 0 || warnedModelOptions || !isMainThread) return;
  warnedModelOptions = true;
  const flags = given.map((k) => `--evaluator-opt ${k}=${String(options[k])}`).join(' ');
  process.emitWarning(`space option ${given.join(' and ')} of nasfpn is deprecated: it shapes the model, not the decisions; give it to the evaluator (${flags})`, { type: 'DeprecationWarning', code: 'TSNAS_NASFPN_MODEL_OPTIONS' });
}

export const nasFpnSpaceFactory: SpaceFactory = {
  name: 'nasfpn',
  description: 'NAS-FPN merging cells: per cell two inputs among existing nodes, an output level and an op (sum | global_pool)',
  options: OPTIONS,
  create(options) {
    const o = resolveOptions('space', OPTIONS, options);
    warnModelOptions(options);
    return new NasFpnSpace({ ...o, ops: parseOps(o.ops) });
  },
  named: Object.fromEntries(
    Object.entries(NAMED_PYRAMIDS).map(([name, genotype]) => {
      const ops = NAMED_PYRAMID_OPS[name];
      return [name, { genotype, options: { cells: genotype.cells.length, ...(ops ? { ops: ops.join(',') } : {}) } }];
    }),
  ),
};
