import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { registerBuiltins } from '../../src/wiring/builtins.js';
import { parseRunConfig } from '../../src/engine/config.js';
import { Registries } from '../../src/core/registry.js';
import { runSearch } from '../../src/wiring/run-search.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { tempDir } from '../helpers/run.js';

describe('NAS-FPN search on the worker pool', () => {
  it('completes its budget with 2 workers training real detectors and records every trial', async () => {
    const config = parseRunConfig({
      space: { name: 'nasfpn', options: { channels: 8, repeats: 1 } },
      strategy: { name: 'evolution', options: { population: 3, sample: 2 } },
      // A tiny training budget: this checks the plumbing, not the detector.
      evaluator: { name: 'detection-proxy', options: { steps: 2, batchSize: 2, trainImages: 8, valImages: 4, warmupSteps: 1, backend: 'wasm' } },
      executor: { name: 'pool', options: { workers: 2 } },
      seed: 1,
      budget: { evaluations: 4 },
    });
    const file = join(tempDir(), 'nasfpn.sqlite');
    const store = new SqliteStore(file);
    const r = await runSearch(config, { name: 'nasfpn', store, registries: registerBuiltins(new Registries()) });
    store.close();
    assert.equal(r.evaluations, 4);
    const stored = new SqliteStore(file, { readonly: true });
    const trials = stored.trials();
    stored.close();
    assert.equal(trials.length, r.trials.length);
    for (const t of trials) {
      assert.equal(t.status, 'complete', `trial ${t.number}: ${t.error}`);
      for (const k of ['ap', 'ap50', 'apS', 'loss', 'params', 'flops', 'trainSeconds']) assert.ok(Number.isFinite(t.metrics?.[k]), `trial ${t.number} ${k}`);
      assert.equal(t.reward, t.metrics?.ap);
    }
  });
});
