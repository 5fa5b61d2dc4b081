// A dataset plugin's create() is checked like the other components' (exit 2, one line naming plugin and member).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tsnas } from '../helpers/cli.js';
import { pluginProject } from '../helpers/plugin-project.js';

describe('dataset plugin contract', () => {
  it('a dataset without read()', () => {
    const index = `export function register(r) { r.datasets.add({ name: 'd', description: '', kind: 'classification', options: {}, create: () => ({ kind: 'classification', shape: [8, 8, 1], classNames: ['a', 'b'], size: () => 10, get() {} }) }); }`;
    const project = pluginProject({ 'tsnas-data': { 'package.json': JSON.stringify({ name: 'tsnas-data', type: 'module', main: 'index.js' }), 'index.js': index } });
    const r = tsnas(['train', '--plugin', 'tsnas-data', '--space', 'nasnet', '--genotype', 'resnet-like', '--evaluator-opt', 'dataset=d'], { cwd: project });
    assert.equal(r.code, 2, r.err);
    assert.deepEqual(r.err.trim().split('\n'), ["tsnas: plugin 'tsnas-data': dataset 'd': the object create() returns has no read() method (needs size, read; it has get)"]);
  });
});
