import assert from 'node:assert/strict';
import { registerBuiltins } from '../../src/wiring/builtins.js';
import type { ExperimentStore } from '../../src/core/store.js';
import type { RungRecord } from '../../src/core/trial.js';
import { parseRunConfig, type RunConfig } from '../../src/engine/config.js';
import { Registries } from '../../src/core/registry.js';
import { runSearch, type RunResult } from '../../src/wiring/run-search.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { registerCurve } from './curve-components.js';

export function curveRegistries(): Registries {
  return registerCurve(registerBuiltins(new Registries()));
}

/** ASHA (eta 3, levels 1, 3, 9) over the curve space, one evaluation at a time, random points. */
export function curveConfig(over: Record<string, unknown> = {}): RunConfig {
  return parseRunConfig({ space: 'curve', strategy: 'random', evaluator: 'curve', scheduler: { name: 'asha', options: { eta: 3 } }, seed: 4, budget: { evaluations: 12 }, ...over });
}

export function runCurve(config: RunConfig, store: ExperimentStore = new MemoryStore()): Promise<RunResult> {
  return runSearch(config, { name: 'mf', store, registries: curveRegistries() });
}

/** `trial@resource` of each rung, in the store's order (by trial, then resource). */
export function rungKeys(rungs: readonly RungRecord[]): string[] {
  return rungs.map((r) => `${r.trial}@${r.resource}`);
}

/**
 * What every ASHA bracket satisfies once nothing more can be promoted: at each level below the top, the
 * best floor(n/eta) of its n ranked trials all went on to the next level (others may have too: a trial
 * promoted from the top third early can later drop out of it). `first` maps each trial to its bracket's
 * lowest level (one bracket: the same for all).
 */
export function assertAshaFinished(rungs: readonly RungRecord[], levels: readonly number[], eta: number, first: (trial: number) => number = () => levels[0] as number): void {
  const byTrial = new Map<number, RungRecord[]>();
  for (const r of rungs) byTrial.set(r.trial, [...(byTrial.get(r.trial) ?? []), r]);
  // Each trial climbs consecutive levels from its bracket's lowest one, and only after succeeding.
  for (const [trial, own] of byTrial) {
    const start = levels.indexOf(first(trial));
    assert.deepEqual(own.map((r) => r.resource), levels.slice(start, start + own.length), `trial ${trial} skipped a level`);
    assert.ok(own.slice(0, -1).every((r) => r.reward !== null), `trial ${trial} went on after a failed rung`);
  }
  for (const bracket of new Set([...byTrial.keys()].map(first))) {
    for (let k = levels.indexOf(bracket); k < levels.length - 1; k++) {
      const ranked = rungs.filter((r) => r.resource === levels[k] && r.reward !== null && first(r.trial) === bracket).sort((a, b) => (b.reward as number) - (a.reward as number) || a.trial - b.trial);
      const promoted = new Set(rungs.filter((r) => r.resource === levels[k + 1] && first(r.trial) === bracket).map((r) => r.trial));
      const top = ranked.slice(0, Math.floor(ranked.length / eta)).map((r) => r.trial);
      assert.ok(top.every((t) => promoted.has(t)), `bracket from ${bracket}, level ${levels[k]}: top 1/${eta} ${top} not all promoted (${[...promoted]})`);
    }
  }
}
