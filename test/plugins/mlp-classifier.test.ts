// The example evaluator plugin (plugins/mlp-classifier) loads through --plugin, searches its categorical
// space with a built-in strategy and trains with tsnas's own trainer, importing only public entry points.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tsnas } from '../helpers/cli.js';
import { DIST } from '../helpers/module-trace.js';
import { TSNAS_ROOT } from '../helpers/plugin-project.js';
import { tempDir } from '../helpers/run.js';

const FOLDER = join(DIST, 'plugins', 'mlp-classifier');
const PLUGIN = join(FOLDER, 'index.js');
const SHAPES = join(DIST, 'plugins', 'shapes-dataset', 'index.js');
const SMALL = ['--evaluator-opt', 'steps=20', '--evaluator-opt', 'trainImages=640', '--evaluator-opt', 'valImages=200', '--evaluator-opt', 'testImages=200'];

interface Trial {
  readonly status: string;
  readonly genotype: { hidden1: number; hidden2: number; activation: string; learningRate: number };
  readonly key: string;
  readonly metrics: Record<string, number>;
}

/** Trainable parameters of the MLP on `inputs` pixels and `classes` classes: weights and biases of each dense layer. */
function mlpParams(g: Trial['genotype'], inputs: number, classes: number): number {
  const widths = [inputs, g.hidden1, ...(g.hidden2 > 0 ? [g.hidden2] : []), classes];
  return widths.slice(1).reduce((n, w, i) => n + (widths[i] as number) * w + w, 0);
}

describe('example evaluator plugin (mlp-classifier)', () => {
  it('imports nothing of tsnas but the entry points package.json exports', () => {
    const exported = Object.keys((JSON.parse(readFileSync(join(TSNAS_ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }).exports);
    const files = readdirSync(FOLDER).filter((f) => f.endsWith('.js'));
    assert.ok(files.length >= 4, `the compiled plugin: ${files.join(', ')}`);
    for (const file of files) {
      const specifiers = [...readFileSync(join(FOLDER, file), 'utf8').matchAll(/\bfrom\s+'([^']+)'/g)].map((m) => m[1] as string);
      for (const s of specifiers) {
        const ok = s.startsWith('./') ? !s.includes('..') : s.startsWith('tsnas/') && exported.includes(`.${s.slice('tsnas'.length)}`);
        assert.ok(ok, `${file} imports '${s}': only its own files and tsnas's exported subpaths`);
      }
    }
  });

  it('searches its space with evolution on mnist through tsnas search --plugin', () => {
    const runs = tempDir();
    const r = tsnas(['search', '--plugin', PLUGIN, '--space', 'mlp', '--evaluator', 'mlp-classifier', '--strategy', 'evolution', '--evaluations', '3',
      '--executor', 'inline', ...SMALL, '--runs-dir', runs, '--name', 'mlp', '--quiet']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /3 evaluations, 3 trials \(0 cached, 0 failed\)/);
    const shown = JSON.parse(tsnas(['show', 'mlp', '--runs-dir', runs, '--json']).out) as { trials: Trial[] };
    assert.equal(shown.trials.length, 3);
    for (const t of shown.trials) {
      assert.equal(t.status, 'complete');
      assert.deepEqual(Object.keys(t.genotype), ['hidden1', 'hidden2', 'activation', 'learningRate'], 'the genotype is the plain record');
      assert.equal(t.key, Object.entries(t.genotype).map(([k, v]) => `${k}=${v}`).join(','));
      assert.equal(t.metrics.params, mlpParams(t.genotype, 28 * 28, 10), `${t.key}: the network the genotype describes`);
      assert.equal(t.metrics.steps, 20);
    }
    const best = Math.max(...shown.trials.map((t) => t.metrics.val_acc as number));
    assert.ok(best > 40, `20 steps on mnist reach well above chance (10%): ${best}`);
  });

  it('trains one genotype on a dataset another plugin registers, passing it data.* options', () => {
    const r = tsnas(['train', '--plugin', PLUGIN, '--plugin', SHAPES, '--space', 'mlp', '--genotype', 'hidden1=32,hidden2=0,activation=tanh,learningRate=0.01',
      '--evaluator-opt', 'dataset=shapes', '--evaluator-opt', 'data.side=12', ...SMALL, '--json']);
    assert.equal(r.code, 0, r.err);
    const m = (JSON.parse(r.out) as { metrics: Record<string, number> }).metrics;
    assert.equal(m.params, mlpParams({ hidden1: 32, hidden2: 0, activation: 'tanh', learningRate: 0.01 }, 12 * 12, 4), 'shaped by the 12x12 images and 4 classes');
  });

  it('refuses a genotype value outside the space with exit 2, naming the decision', () => {
    const r = tsnas(['train', '--plugin', PLUGIN, '--space', 'mlp', '--genotype', 'hidden1=48,hidden2=0,activation=relu,learningRate=0.01']);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /invalid genotype: hidden1: "48" is not one of 32, 64, 128/);
  });
});
