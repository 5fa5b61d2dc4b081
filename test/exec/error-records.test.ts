// What an evaluator throws is recorded readably, whether it is an Error or not, inline or in a worker.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runSearch } from '../../src/wiring/run-search.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { faultRegistries, faultyConfig, pool } from '../helpers/pool.js';

describe('trial errors', () => {
  for (const executor of [undefined, pool({ workers: 1 })]) {
    it(`records a thrown non-Error as what it was, not [object Object] (${executor ? 'pool' : 'inline'})`, async () => {
      const config = faultyConfig({ faults: '1:object,2:throw' }, { budget: { evaluations: 4 }, ...(executor ? { executor } : {}) });
      const r = await runSearch(config, { name: 'e', store: new MemoryStore(), registries: await faultRegistries() });
      assert.equal(r.trials[1]?.error, "threw { code: 7, reason: 'odd failure in trial 1' }");
      assert.equal(r.trials[2]?.error, 'injected failure in trial 2');
    });
  }
});
