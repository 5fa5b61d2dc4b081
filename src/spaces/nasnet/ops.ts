import { ConfigError } from '../../core/errors.js';

/**
 * Every op a NASNet-space block may apply to a hidden state. Each outputs the cell's filter count
 * (a state with other channels gets a 1x1 conv where the op has none); names follow the paper's list.
 * - `identity`; `none` (zero: DARTS' op, so a block can ignore an input)
 * - `conv1x3_3x1`, `conv1x7_7x1`: factorized convs; `conv1x1`, `conv3x3`; `dil_conv3x3` (dilation 2)
 * - `avg_pool3x3`, `max_pool3x3`, `max_pool5x5`, `max_pool7x7`
 * - `sep_conv3x3`, `sep_conv5x5`, `sep_conv7x7`: depthwise-separable, applied twice
 * - `dil_sep_conv3x3`, `dil_sep_conv5x5`: DARTS' `dil_conv` (ReLU, dilated depthwise, pointwise, BN; once)
 */
export const NASNET_OPS = [
  'none', 'identity', 'conv1x3_3x1', 'conv1x7_7x1', 'dil_conv3x3', 'avg_pool3x3', 'max_pool3x3', 'max_pool5x5', 'max_pool7x7',
  'conv1x1', 'conv3x3', 'sep_conv3x3', 'sep_conv5x5', 'sep_conv7x7', 'dil_sep_conv3x3', 'dil_sep_conv5x5',
] as const;
export type NasNetOp = (typeof NASNET_OPS)[number];

/** The 13 ops of the NASNet paper (Zoph et al. 2018, section 3). */
export const PAPER_OPS: readonly NasNetOp[] = [
  'identity', 'conv1x3_3x1', 'conv1x7_7x1', 'dil_conv3x3', 'avg_pool3x3', 'max_pool3x3', 'max_pool5x5', 'max_pool7x7',
  'conv1x1', 'conv3x3', 'sep_conv3x3', 'sep_conv5x5', 'sep_conv7x7',
];

/** DARTS' / NAS-Bench-301's 8 ops (their skip_connect is identity; dil_conv is dil_sep_conv here). */
export const DARTS_OPS: readonly NasNetOp[] = ['none', 'max_pool3x3', 'avg_pool3x3', 'identity', 'sep_conv3x3', 'sep_conv5x5', 'dil_sep_conv3x3', 'dil_sep_conv5x5'];

export const OP_PRESETS: Readonly<Record<string, readonly NasNetOp[]>> = { nasnet: PAPER_OPS, darts: DARTS_OPS };

export function isNasNetOp(x: unknown): x is NasNetOp {
  return (NASNET_OPS as readonly unknown[]).includes(x);
}

/** The `ops` option: a preset name or a comma-separated list of distinct op names. */
export function parseOps(text: string): NasNetOp[] {
  const preset = OP_PRESETS[text.trim()];
  if (preset) return preset.slice();
  const ops = text.split(',').map((s) => s.trim());
  for (const op of ops) {
    if (!isNasNetOp(op)) throw new ConfigError('space.ops', `unknown op '${op}'; presets: ${Object.keys(OP_PRESETS).join(', ')}; ops: ${NASNET_OPS.join(', ')}`);
  }
  if (new Set(ops).size !== ops.length) throw new ConfigError('space.ops', `an op is listed twice: ${text}`);
  return ops as NasNetOp[];
}

export const COMBINES = ['add', 'concat'] as const;
export type Combine = (typeof COMBINES)[number];

export function parseCombines(text: string): Combine[] {
  const list = text.split(',').map((s) => s.trim());
  for (const c of list) if (!(COMBINES as readonly string[]).includes(c)) throw new ConfigError('space.combine', `unknown combine '${c}'; combines: ${COMBINES.join(', ')}`);
  if (new Set(list).size !== list.length) throw new ConfigError('space.combine', `a combine is listed twice: ${text}`);
  return list as Combine[];
}
