import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modulesLoadedBy } from '../helpers/module-trace.js';

describe('pool worker', () => {
  it('loads the evaluation side only: no controller, strategy or scheduler', () => {
    const loaded = modulesLoadedBy('src/wiring/pool-worker.js');
    assert.ok(loaded.some((u) => u.includes('/dist/src/evaluators/')), 'the trace sees the evaluators it does load');
    const driverOnly = loaded.filter((u) => /\/dist\/(src\/controller|strategies|schedulers)\//.test(u));
    assert.deepEqual(driverOnly, []);
  });
});
