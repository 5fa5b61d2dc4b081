import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { DatasetFactory, DetectionData } from '../../src/core/dataset.js';
import { Registries } from '../../src/core/registry.js';
import { DetectionProxyEvaluator } from '../../src/evaluators/proxy/detection-evaluator.js';
import { nasFpnSpaceFactory } from '../../src/spaces/nasfpn/factory.js';
import { registerEvaluationBuiltins } from '../../src/wiring/evaluation-builtins.js';
import { rectangleImages, writeCocoSet } from '../helpers/coco-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'tsnas-det-data-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A plugin's detection data: 256 px canvases, three classes, one box an image. */
const blobs: DatasetFactory = {
  name: 'blobs',
  description: 'test data',
  kind: 'detection',
  options: { side: { type: 'integer', default: 256, help: 'canvas side' } },
  create(options): DetectionData {
    const side = Number(options.side ?? 256);
    return {
      kind: 'detection',
      shape: [side, side, 1],
      classNames: ['a', 'b', 'c'],
      areaThresholds: { small: 100, medium: 1000 },
      size: () => 4,
      read: (_split, index) => [{ box: [index, index, index + 20, index + 20], label: index % 3 }],
    };
  },
};

const registries = registerEvaluationBuiltins(new Registries());
registries.datasets.add(blobs);
const proxy = registries.evaluators.get('detection-proxy');
const space = nasFpnSpaceFactory.create({});
const create = (options: Record<string, unknown>) => Promise.resolve(proxy.create(options, space)) as Promise<DetectionProxyEvaluator>;

describe('detection proxy: datasets', () => {
  it('trains on the synthetic scenes by default, with the run key of the data before datasets were plugins (stored searches continue their rungs)', async () => {
    const ev = await create({});
    assert.equal(ev.data.classNames.length, 10);
    // The recipe as detection-proxy wrote it into every saved rung until datasets were registered.
    assert.equal(
      JSON.stringify(ev.recipe()),
      '{"steps":300,"minSteps":0,"batchSize":8,"learningRate":0.01,"warmupSteps":20,"trainImages":2048,"valImages":256,"testImages":512,"dataSeed":0,"glyphs":"digits","minSide":12,"maxSide":64,"minObjects":2,"maxObjects":5,"clutter":0,"sharedLabel":false,"cellResidual":false,"anchorSize":2,"headConvs":1,"headNorm":true,"headShared":true}',
    );
    const named = await create({ dataset: 'glyph-scenes', glyphs: 'both', 'data.dataSeed': '4' });
    assert.equal(named.detectorConfig().classes, 20);
    assert.equal(named.recipe().dataSeed, 4, 'data.KEY reaches the dataset too');
  });

  it("shapes the detector by a plugin's data and keys its runs by the dataset's name and options", async () => {
    const ev = await create({ dataset: 'blobs', 'data.side': 256, steps: 5 });
    const config = ev.detectorConfig();
    assert.deepEqual([config.imageSize, config.classes], [256, 3]);
    const recipe = ev.recipe();
    assert.deepEqual([recipe.dataset, recipe.data, recipe.steps], ['blobs', { side: 256 }, 5]);
    assert.deepEqual((await create({ dataset: 'blobs', side: '256', steps: 5 })).recipe(), recipe, 'side=256 and data.side=256 are one run');
    assert.notDeepEqual((await create({ dataset: 'blobs', side: 128, steps: 5 })).recipe(), recipe);
  });

  it('reads a COCO folder given by path=DIR, its options beside the evaluator\'s', async () => {
    const dir = writeCocoSet(join(root, 'coco'), { train: rectangleImages(2), val: rectangleImages(1), test: rectangleImages(1) }, [{ id: 1, name: 'square' }, { id: 2, name: 'bar' }]);
    const ev = await create({ dataset: 'coco', path: dir, steps: 4 });
    assert.deepEqual(ev.data.classNames, ['square', 'bar']);
    assert.deepEqual(ev.data.shape, [128, 128, 1]);
    assert.equal(ev.detectorConfig().classes, 2);
  });

  it('refuses a synthetic-data option for another dataset, an unknown option, data the detector cannot read, a classification dataset', async () => {
    const dir = join(root, 'coco');
    await assert.rejects(create({ dataset: 'coco', path: dir, glyphs: 'both' }), /evaluator\.glyphs: is an option of the glyph-scenes dataset; dataset 'coco' takes path, size, fit, train, val, test/);
    await assert.rejects(create({ dataset: 'blobs', sidee: 3 }), /evaluator\.sidee: unknown option; known: dataset, steps, .*; dataset 'blobs' takes side/);
    await assert.rejects(create({ dataset: 'blobs', side: 200 }), /dataset 'blobs' gives 200 px images; the pyramid's P7 needs a side divisible by 128/);
    await assert.rejects(create({ dataset: 'coco', path: dir, size: 64 }), /dataset 'coco' gives 64 px images/);
    await assert.rejects(create({ dataset: 'mnist' }), /dataset 'mnist' holds classification data, not detection/);
    await assert.rejects(create({ dataset: 'voc' }), /unknown dataset 'voc'; known: blobs, coco, fashion-mnist, glyph-scenes, image-folder, mnist/);
    await assert.rejects(create({ maxSide: 200 }), /dataset\.maxSide: must fit the 128 px canvas, got 200/);
  });
});
