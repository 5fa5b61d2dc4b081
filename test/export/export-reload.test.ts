import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createDigitDetectionDataset } from '../../src/data/index.js';
import { detectorOutputs } from '../../src/tasks/detection/detector-io.js';
import { exportTrial } from '../../src/export/export-trial.js';
import { loadModel } from '../../src/export/load-model.js';
import { DetectionProxyEvaluator } from '../../src/evaluators/proxy/detection-evaluator.js';
import { experimentComponents } from '../../src/engine/experiment-components.js';
import { loadRegistries } from '../../src/wiring/registries.js';
import type { NasFpnGenotype } from '../../src/spaces/nasfpn/genotype.js';
import { RunsFolder } from '../../src/store/runs-folder.js';
import { tsnas } from '../helpers/cli.js';
import { TINY_DETECTION, tinyNasFpnSearch } from '../helpers/tiny-nasfpn.js';

describe('tsnas export: a trained trial, reloaded', () => {
  const runs = mkdtempSync(join(tmpdir(), 'tsnas-export-'));
  tinyNasFpnSearch(runs, 'tiny', 2);

  it('writes genotype.json, model.json + shards, metrics and a README; the reloaded network gives identical outputs', async () => {
    const out = join(runs, 'model');
    const r = tsnas(['export', 'tiny', '--runs-dir', runs, '--out', out, '--json']);
    assert.equal(r.code, 0, r.err);
    const result = JSON.parse(r.out) as { trial: number; seed: number; fidelity: number; metrics: Record<string, number> };
    for (const f of ['genotype.json', 'model.json', 'metrics.json', 'README.md', 'group1-shard1of1.bin']) assert.ok(existsSync(join(out, f)), f);
    const manifest = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    assert.equal(manifest.format, 'tsnas-model');
    assert.deepEqual(manifest.userDefinedMetadata.data.shape, [128, 128, 1]);
    assert.equal(manifest.userDefinedMetadata.data.classes.length, 10);
    assert.equal(manifest.modelTopology.space.name, 'nasfpn');
    assert.equal(manifest.weightsManifest[0].paths[0], 'group1-shard1of1.bin');

    // The export retrains the trial's own run (its seed, the top fidelity): the search's metrics, to the bit.
    const store = new RunsFolder(runs).read('tiny');
    const meta = store.meta()!;
    const stored = store.trial(result.trial)!;
    store.close();
    assert.equal(result.fidelity, 10);
    assert.equal(result.metrics.ap, stored.metrics!.ap);

    // The trained network's own outputs (captured before it is disposed) against the reloaded one's.
    const { config, registries, space } = await experimentComponents(meta, loadRegistries);
    const evaluator = (await registries.evaluators.get('detection-proxy').create(config.evaluator.options, space)) as DetectionProxyEvaluator;
    const probe = createDigitDetectionDataset({ split: 'val', numImages: 3, seed: 5 }).batches(3).next().value!;
    let reference: { logits: Float32Array; deltas: Float32Array } | undefined;
    await evaluator.evaluate({ trial: stored.number, genotype: space.validate(stored.genotype) as NasFpnGenotype, key: stored.key, seed: stored.seed }, (det) => {
      reference = detectorOutputs(det, probe.images, 3);
    });
    const model = await loadModel(out, { registries: loadRegistries });
    try {
      const again = model.outputs(probe.images, 3);
      assert.ok(reference && reference.logits.length > 0);
      assert.deepEqual(again.logits, reference.logits);
      assert.deepEqual(again.deltas, reference.deltas);
    } finally {
      model.dispose();
    }
  });

  it('genotype.json is what tsnas train --genotype takes (with the space options it was searched under)', () => {
    const out = join(runs, 'model-cli');
    const exported = JSON.parse(tsnas(['export', 'tiny', '--runs-dir', runs, '--out', out, '--trial', '0', '--json']).out) as { key: string };
    const opts = TINY_DETECTION.flatMap((o) => ['--evaluator-opt', o]);
    const r = tsnas(['train', '--genotype', join(out, 'genotype.json'), ...opts, '--json']);
    assert.equal(r.code, 0, r.err);
    assert.equal((JSON.parse(r.out) as { key: string }).key, exported.key);
  });

  it('writes --evaluator-opt values into metrics.json typed as the options read them', () => {
    const out = join(runs, 'model-opts');
    const r = tsnas(['export', 'tiny', '--runs-dir', runs, '--out', out, '--trial', '0', '--evaluator-opt', 'steps=10', '--evaluator-opt', 'trainImages=32', '--evaluator-opt', 'headNorm=true', '--json']);
    assert.equal(r.code, 0, r.err);
    const options = (JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as { evaluator: { options: Record<string, unknown> } }).evaluator.options;
    assert.equal(options.steps, 10);
    assert.equal(options.trainImages, 32);
    assert.equal(options.headNorm, true);
  });

  it('the library export picks the trial asked for and trains to the fidelity asked for', async () => {
    const r = await exportTrial({ runsDir: runs, experiment: 'tiny', trial: 1, out: join(runs, 'model-lib'), fidelity: 5, registries: loadRegistries });
    assert.equal(r.trial, 1);
    assert.equal(r.via, 'option');
    assert.equal(r.metrics.steps, 5);
  });
});
