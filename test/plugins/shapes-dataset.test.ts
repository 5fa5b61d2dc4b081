import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tsnas } from '../helpers/cli.js';
import { DIST } from '../helpers/module-trace.js';

const PLUGIN = join(DIST, 'plugins', 'shapes-dataset', 'index.js');

describe('example dataset plugin (shapes)', () => {
  it('is listed with its options and trains a NASNet child through the CLI, above chance', () => {
    const listed = tsnas(['components', '--plugin', PLUGIN]);
    assert.equal(listed.code, 0, listed.err);
    assert.match(listed.out, /datasets:[\s\S]*shapes — example plugin[\s\S]*side: integer/);
    const r = tsnas(['train', '--plugin', PLUGIN, '--space', 'nasnet', '--genotype', 'resnet-like', '--json', '--evaluator-opt', 'dataset=shapes',
      '--evaluator-opt', 'steps=60', '--evaluator-opt', 'batchSize=16', '--evaluator-opt', 'filters=4', '--evaluator-opt', 'valImages=300', '--evaluator-opt', 'testImages=300']);
    assert.equal(r.code, 0, r.err);
    const m = (JSON.parse(r.out) as { metrics: Record<string, number> }).metrics;
    assert.ok(m.val_acc! > 50 && m.test_acc! > 50, JSON.stringify(m));
  });

  it('refuses an option the dataset does not have, naming it', () => {
    const r = tsnas(['train', '--plugin', PLUGIN, '--space', 'nasnet', '--genotype', 'resnet-like', '--evaluator-opt', 'dataset=shapes', '--evaluator-opt', 'data.colour=red']);
    assert.notEqual(r.code, 0);
    assert.match(r.err, /dataset\.colour: unknown option; known: side, trainImages, evalImages, seed/);
  });
});
