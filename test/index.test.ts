import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modulesLoadedBy } from './helpers/module-trace.js';

describe('public API', () => {
  it('loads on its own in a fresh process, as a plugin or library imports it', () => {
    // Throws if the import fails (e.g. tsyringe loaded before its Reflect polyfill).
    assert.ok(modulesLoadedBy('src/index.js').some((u) => u.endsWith('/dist/src/index.js')));
  });
});
