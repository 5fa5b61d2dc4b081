import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modulesLoadedBy } from '../helpers/module-trace.js';

describe('strategies without a controller', () => {
  for (const name of ['random', 'evolution']) {
    it(`${name} loads no tfjs module`, () => {
      const loaded = modulesLoadedBy(`strategies/${name}.js`);
      assert.ok(loaded.some((u) => u.endsWith(`/dist/strategies/${name}.js`)), 'the trace sees the strategy itself');
      assert.deepEqual(loaded.filter((u) => u.includes('@tensorflow')), []);
    });
  }
});
