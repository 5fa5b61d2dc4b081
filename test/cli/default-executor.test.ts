// Evaluators that train networks (a tensor `backend` option) default to the pool, one worker per core;
// table lookups stay inline; the start-up line says which executor runs and how many workers.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { tsnas } from '../helpers/cli.js';
import { FAULT_PLUGIN } from '../helpers/fault-plugin.js';
import { writeSyntheticTable } from '../helpers/nb201-fixture.js';
import { pluginProject } from '../helpers/plugin-project.js';

// Stands for a training evaluator: it has a backend option (and runs no tensors, so it is cheap).
const TRAINER = `export function register(r) {
  r.evaluators.add({ name: 'trainer', description: 'pretends to train', spaces: ['toy'], options: { backend: { type: 'string', default: 'auto', help: 'tensor backend' } },
    create: () => ({ metrics: ['score'], primaryMetric: 'score', evaluate: async ({ genotype }) => ({ score: genotype.reduce((a, b) => a + b, 0) }) }) });
}`;

const cores = availableParallelism();

describe('executor defaults', () => {
  const project = pluginProject({ 'tsnas-trainer': { 'package.json': JSON.stringify({ name: 'tsnas-trainer', type: 'module', main: 'index.js' }), 'index.js': TRAINER } });
  const toy = ['search', '--plugin', FAULT_PLUGIN, '--plugin', 'tsnas-trainer', '--space', 'toy', '--space-opt', 'cells=6', '--evaluator', 'trainer', '--strategy', 'random', '--evaluations', '3', '--memory'];

  it('a training evaluator runs on the pool, one worker per core, loading the plugin package in the workers', () => {
    const r = tsnas(toy, { cwd: project });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, new RegExp(`^executor: pool, ${cores} worker threads? \\(one per core; --workers N to change, --executor inline for none\\)$`, 'm'));
  });

  it('--executor inline, --concurrency and --workers are kept', () => {
    for (const [flags, line] of [
      [['--executor', 'inline'], 'executor: inline (main thread, 1 evaluation at a time)'],
      [['--concurrency', '2'], 'executor: inline (main thread, 2 evaluations at a time)'],
      [['--workers', '1'], 'executor: pool, 1 worker thread'],
    ] as const) {
      const r = tsnas([...toy, ...flags], { cwd: project });
      assert.equal(r.code, 0, r.err);
      assert.ok(r.err.split('\n').includes(line), `${flags.join(' ')}: ${r.err}`);
    }
  });

  it('--quiet leaves the line out', () => {
    const r = tsnas([...toy, '--quiet'], { cwd: project });
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.err, /executor:/);
  });

  it('a table lookup stays inline', () => {
    const r = tsnas(['search', '--space', 'nasbench201', '--evaluator-opt', `path=${writeSyntheticTable()}`, '--evaluations', '3', '--memory']);
    assert.equal(r.code, 0, r.err);
    assert.ok(r.err.split('\n').includes('executor: inline (main thread, 1 evaluation at a time)'), r.err);
  });
});
