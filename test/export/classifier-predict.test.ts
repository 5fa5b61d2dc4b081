import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ClassificationData } from '../../src/core/dataset.js';
import { encodePng, renderWithBoxes } from '../../src/data/index.js';
import { mnistDatasetFactory } from '../../src/data/mnist-datasets.js';
import { RESNET_LIKE } from '../../src/spaces/nasnet/named.js';
import { RunsFolder } from '../../src/store/runs-folder.js';
import { tsnas } from '../helpers/cli.js';
import { tinyNasNetSearch } from '../helpers/tiny-nasnet.js';

interface Classification {
  image: string;
  width: number;
  height: number;
  top: { class: string; score: number }[];
}

/**
 * The training run the export makes: the resnet-like cells at 1@4 on all of MNIST's training split,
 * 300 steps of 32 (a fifth of an epoch; about 10 s on one core), about 93 % test accuracy.
 */
const RECIPE = ['steps=300', 'trainImages=0', 'batchSize=32', 'learningRate=0.03', 'warmupSteps=10', 'valImages=500', 'testImages=500'];

describe('tsnas predict: an exported MNIST classifier on PNGs of known digits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsnas-predict-cls-'));
  const runs = join(dir, 'runs');
  // A stored search, then its trial made the resnet-like cells (quick to learn), so the export trains a known architecture.
  tinyNasNetSearch(runs, 'digits');
  const store = new RunsFolder(runs).open('digits');
  store.putTrial({ ...store.trial(0)!, genotype: RESNET_LIKE as never, key: 'resnet-like' });
  store.close();
  const model = join(dir, 'model');
  const exported = tsnas(['export', 'digits', '--runs-dir', runs, '--out', model, ...RECIPE.flatMap((o) => ['--evaluator-opt', o]), '--fidelity', '300', '--json']);

  it('exports the trained classifier', () => {
    assert.equal(exported.code, 0, exported.err);
    assert.ok((JSON.parse(exported.out) as { metrics: { test_acc: number } }).metrics.test_acc > 85);
  });

  it('names the digits of PNGs of MNIST test images (top class, JSON per image; --top K)', () => {
    // The first five test digits (never trained on), one written at twice its size (predict resizes it back).
    const mnist = mnistDatasetFactory.create({}) as ClassificationData;
    const pixels = new Float32Array(28 * 28);
    const files = [0, 1, 2, 3, 4].map((i) => {
      const label = mnist.read('test', i, pixels, 0);
      const file = join(dir, `digit-${i}.png`);
      writeFileSync(file, encodePng(renderWithBoxes(pixels, 28, 28, [], i === 4 ? 2 : 1)));
      return { file, label: String(label) };
    });
    assert.deepEqual(files.map((f) => f.label), ['7', '2', '1', '0', '4']);

    const r = tsnas(['predict', '--model', model, ...files.map((f) => f.file), '--top', '2']);
    assert.equal(r.code, 0, r.err);
    const predictions = JSON.parse(r.out) as Classification[];
    assert.deepEqual(predictions.map((p) => p.image), files.map((f) => f.file));
    assert.deepEqual(predictions.map((p) => p.width), [28, 28, 28, 28, 56]);
    for (const p of predictions) {
      assert.equal(p.top.length, 2);
      assert.ok(p.top[0]!.score >= p.top[1]!.score && p.top[0]!.score + p.top[1]!.score <= 1 + 1e-6, JSON.stringify(p.top));
      assert.notEqual(p.top[0]!.class, p.top[1]!.class);
    }
    const named = predictions.filter((p, i) => p.top[0]!.class === files[i]!.label).length;
    const seen = JSON.stringify(predictions.map((p) => p.top.map((t) => `${t.class}:${t.score.toFixed(2)}`)));
    assert.ok(named >= 4, `${named} of 5 digits named (7, 2, 1, 0, 4): ${seen}`);

    // Without --top, the three most probable classes.
    const three = JSON.parse(tsnas(['predict', '--model', model, files[0]!.file]).out) as Classification[];
    assert.equal(three[0]!.top.length, 3);
    assert.deepEqual(three[0]!.top.slice(0, 2), predictions[0]!.top);
  });
});
