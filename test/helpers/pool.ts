import { registerBuiltins } from '../../src/wiring/builtins.js';
import { parseRunConfig, type RunConfig } from '../../src/engine/config.js';
import { loadPlugin } from '../../src/wiring/plugins.js';
import { Registries } from '../../src/core/registry.js';
import type { PoolSetup } from '../../src/exec/pool-task.js';
import { FAULT_PLUGIN } from './fault-plugin.js';

/** Built-ins plus the fault plugin, loaded the way workers load it. */
export async function faultRegistries(): Promise<Registries> {
  const r = registerBuiltins(new Registries());
  await loadPlugin(FAULT_PLUGIN, r);
  return r;
}

/** A pool setup for the faulty evaluator on the toy space. */
export function faultySetup(options: Record<string, string | number | boolean> = {}): PoolSetup {
  return { space: { name: 'toy', options: {} }, evaluator: { name: 'faulty', options }, plugins: [FAULT_PLUGIN], cwd: process.cwd() };
}

/**
 * Random search over a 6-cell toy space (duplicates are rare, so a fault named by trial number is
 * really evaluated), with the faulty evaluator and the fault plugin.
 */
export function faultyConfig(evaluatorOptions: Record<string, string | number | boolean>, over: Record<string, unknown> = {}): RunConfig {
  return parseRunConfig({
    space: { name: 'toy', options: { cells: 6 } },
    strategy: 'random',
    evaluator: { name: 'faulty', options: evaluatorOptions },
    seed: 3,
    budget: { evaluations: 30 },
    plugins: [FAULT_PLUGIN],
    ...over,
  });
}

export const pool = (options: Record<string, number>) => ({ name: 'pool', options });
