import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DIST, modulesLoadedBy } from './helpers/module-trace.js';

/** package.json's subpath exports (`tsnas/evaluator`, ...) and the compiled file each names. */
const SUBPATHS = Object.entries((JSON.parse(readFileSync(join(DIST, '..', 'package.json'), 'utf8')) as { exports: Record<string, { default: string }> }).exports)
  .filter(([path]) => path !== '.')
  .map(([path, target]) => ({ path, file: target.default.replace(/^\.\/dist\//, '') }));

describe('public API', () => {
  it('loads on its own in a fresh process, as a plugin or library imports it', () => {
    // Throws if the import fails (e.g. tsyringe loaded before its Reflect polyfill).
    assert.ok(modulesLoadedBy('src/index.js').some((u) => u.endsWith('/dist/src/index.js')));
  });

  it('has subpath entry points that each load on their own', () => {
    assert.deepEqual(SUBPATHS.map((s) => s.path).sort(), ['./data', './evaluator', './metrics', './nn', './tensor', './train']);
    for (const { path, file } of SUBPATHS) assert.ok(modulesLoadedBy(file).some((u) => u.endsWith(`/dist/${file}`)), `${path} (${file})`);
  });

  it("keeps tsnas/evaluator free of tensor code, so a plugin that only defines a space or contract loads no tfjs", () => {
    const loaded = modulesLoadedBy('src/public/evaluator.js');
    assert.deepEqual(loaded.filter((u) => u.includes('@tensorflow') || u.includes('/dist/src/tensor/')), []);
  });
});
