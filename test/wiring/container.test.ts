import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { container } from 'tsyringe';
import type { EvaluationRequest, Metrics } from '../../src/core/evaluator.js';
import type { Executor } from '../../src/core/executor.js';
import { TOKENS } from '../../src/engine/tokens.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { runSearch } from '../../src/wiring/run-search.js';
import { registries, sequence, toyConfig } from '../helpers/run.js';

describe('composition root', () => {
  it('lets a container override one component by its token, the others built from the config', async () => {
    const config = toyConfig({ budget: { evaluations: 12 } });
    const built = await runSearch(config, { name: 'built', store: new MemoryStore(), registries: registries() });
    const requests: number[] = [];
    const metrics = new Map(built.trials.map((t) => [t.number, t.metrics as Metrics]));
    const replay: Executor = {
      capacity: 1,
      run: (r: EvaluationRequest) => (requests.push(r.trial), Promise.resolve(metrics.get(r.trial) as Metrics)),
      close: () => Promise.resolve(),
    };
    const overrides = container.createChildContainer();
    overrides.register(TOKENS.Executor, { useValue: replay });
    const r = await runSearch(config, { name: 'overridden', store: new MemoryStore(), registries: registries(), container: overrides });
    assert.deepEqual(requests, built.trials.map((t) => t.number), 'every evaluation went to the registered executor');
    assert.deepEqual(sequence(r), sequence(built));
  });
});
