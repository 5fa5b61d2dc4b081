// A plugin installed as a package in the user's project loads by name from that project's folder.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolvePackageFrom } from '../../src/wiring/resolve-package.js';
import { tsnas } from '../helpers/cli.js';
import { FAULT_PLUGIN } from '../helpers/fault-plugin.js';
import { pluginProject, SAMPLING_STRATEGY, strategyPlugin } from '../helpers/plugin-project.js';
import { join } from 'node:path';

const ESM_ONLY = JSON.stringify({ name: 'tsnas-my-strategy', type: 'module', exports: { '.': { import: './lib/index.js' } } });

describe('plugins by package name', () => {
  it('loads a package from the working directory\'s node_modules (ESM-only exports)', () => {
    const project = pluginProject({ 'tsnas-my-strategy': { 'package.json': ESM_ONLY, 'lib/index.js': strategyPlugin('my-sampler', SAMPLING_STRATEGY) } });
    const args = ['search', '--plugin', FAULT_PLUGIN, '--plugin', 'tsnas-my-strategy', '--space', 'toy', '--space-opt', 'cells=6', '--evaluator', 'faulty',
      '--strategy', 'my-sampler', '--evaluations', '4', '--memory', '--quiet'];
    const r = tsnas(args, { cwd: project });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /4 evaluations/);
    const elsewhere = tsnas(args, { cwd: join(project, '..') });
    assert.equal(elsewhere.code, 2, 'not installed there');
    assert.match(elsewhere.err, /cannot load plugin 'tsnas-my-strategy'/);
  });

  it('resolves exports forms, scoped names, subpaths and main', () => {
    const project = pluginProject({
      '@me/plug': { 'package.json': JSON.stringify({ exports: { '.': ['./a.js'], './extra/*': { node: './x/*.js' } } }), 'a.js': '', 'x/y.js': '' },
      'old-style': { 'package.json': JSON.stringify({ main: 'main' }), 'main.js': '' },
      'plain': { 'package.json': '{}', 'index.js': '' },
      'closed': { 'package.json': JSON.stringify({ exports: './e.js' }), 'e.js': '' },
    });
    const nm = join(project, 'node_modules');
    assert.equal(resolvePackageFrom('@me/plug', join(project, 'src')), join(nm, '@me/plug/a.js'), 'found from a subfolder');
    assert.equal(resolvePackageFrom('@me/plug/extra/y', project), join(nm, '@me/plug/x/y.js'));
    assert.equal(resolvePackageFrom('old-style', project), join(nm, 'old-style/main.js'));
    assert.equal(resolvePackageFrom('plain', project), join(nm, 'plain/index.js'));
    assert.equal(resolvePackageFrom('closed/e.js', project), undefined, 'not exported');
    assert.equal(resolvePackageFrom('missing', project), undefined);
  });
});
