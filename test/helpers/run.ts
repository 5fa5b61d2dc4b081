import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerBuiltins } from '../../src/wiring/builtins.js';
import type { ExperimentStore } from '../../src/core/store.js';
import { parseRunConfig, type RunConfig } from '../../src/engine/config.js';
import { Registries } from '../../src/core/registry.js';
import { runSearch, type RunResult } from '../../src/wiring/run-search.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { registerToy } from './toy-components.js';

export function registries(): Registries {
  return registerToy(registerBuiltins(new Registries()));
}

export function toyConfig(over: Record<string, unknown> = {}): RunConfig {
  return parseRunConfig({ space: 'toy', strategy: 'evolution', evaluator: 'toy', seed: 1, budget: { evaluations: 40 }, ...over });
}

export function run(config: RunConfig, store: ExperimentStore = new MemoryStore(), signal?: AbortSignal): Promise<RunResult> {
  return runSearch(config, { name: 'test', store, registries: registries(), ...(signal ? { signal } : {}) });
}

/** What identifies a trial sequence: order, genotype, outcome. */
export function sequence(r: { trials: readonly { key: string; status: string; reward: number | null }[] }): string[] {
  return r.trials.map((t) => `${t.key}|${t.status}|${t.reward}`);
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tsnas-test-'));
}
