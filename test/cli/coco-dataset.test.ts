// A user's own detection images: a tiny COCO-format folder written to disk (PNG files and instances
// JSON), searched and trained on through the CLI; malformed copies exit 2 naming the file, storing nothing.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tsnas } from '../helpers/cli.js';
import { rectangleImages, writeCocoSet, type CocoEdit } from '../helpers/coco-fixture.js';
import { tempDir } from '../helpers/run.js';

const root = tempDir();
after(() => rmSync(root, { recursive: true, force: true }));

/** 12 images: 6 to train on, 3 for the reward, 3 for the reported AP. */
const cocoSet = (name: string, edit?: CocoEdit) =>
  writeCocoSet(join(root, name), { train: rectangleImages(6), val: rectangleImages(3, 6), test: rectangleImages(3, 9) }, [{ id: 1, name: 'square' }, { id: 2, name: 'bar' }], edit);

/** A child that trains in seconds: the numbers mean nothing, that it runs end to end does. */
const tiny = (dir: string) => ['dataset=coco', `path=${dir}`, 'steps=4', 'batchSize=2', 'warmupSteps=1', 'channels=8', 'repeats=1'].flatMap((o) => ['--evaluator-opt', o]);

describe('COCO-format data through the CLI', () => {
  it('searches the NAS-FPN space on it and trains a named pyramid on it, reporting AP', () => {
    const dir = cocoSet('good');
    const runs = join(root, 'runs');
    const search = tsnas(['search', '--space', 'nasfpn', ...tiny(dir), '--strategy', 'random', '--executor', 'inline', '--evaluations', '2', '--runs-dir', runs, '--name', 'mine', '--quiet', '--json']);
    assert.equal(search.code, 0, search.err);
    const result = JSON.parse(search.out) as { evaluations: number; best: { metrics: Record<string, number> } };
    assert.equal(result.evaluations, 2);
    for (const m of ['ap', 'ap50', 'test_ap', 'loss']) assert.ok(Number.isFinite(result.best.metrics[m]), `${m}: ${result.best.metrics[m]}`);
    assert.ok(result.best.metrics.ap! >= 0 && result.best.metrics.ap! <= 1);

    const train = tsnas(['train', '--genotype', 'fpn', ...tiny(dir), '--json']);
    assert.equal(train.code, 0, train.err);
    const trained = JSON.parse(train.out) as { genotype: string; metrics: Record<string, number> };
    assert.equal(trained.genotype, 'fpn');
    assert.ok(Number.isFinite(trained.metrics.ap) && Number.isFinite(trained.metrics.test_ap), JSON.stringify(trained.metrics));
    assert.equal(trained.metrics.steps, 4);
  });

  const bad: [label: string, make: () => string, message: RegExp][] = [
    ['a missing annotations file', () => {
      const dir = cocoSet('no-val');
      rmSync(join(dir, 'annotations', 'instances_val.json'));
      return dir;
    }, /COCO annotations '.*no-val\/annotations\/instances_val\.json' are missing/],
    ['malformed JSON', () => {
      const dir = cocoSet('bad-json');
      writeFileSync(join(dir, 'annotations', 'instances_test.json'), '{"images": [');
      return dir;
    }, /instances_test\.json' are not valid JSON/],
    ['a box outside its image', () => cocoSet('outside', (split, j) => {
      if (split === 'train') j.annotations[0]!.bbox = [56, 40, 16, 16];
    }), /instances_train\.json: annotations\[0\] \(id 1\): box \[56, 40, 16, 16\] is not inside its 64x48 image '.*train\/0\.png'/],
    ['an unknown category id', () => cocoSet('category', (split, j) => {
      if (split === 'val') j.annotations[1]!.category_id = 9;
    }), /instances_val\.json: annotations\[1\] \(id \d+\) has category 9, which is not listed/],
    ['an unreadable image', () => {
      const dir = cocoSet('unreadable');
      writeFileSync(join(dir, 'test', '1.png'), 'not an image');
      return dir;
    }, /image '.*unreadable\/test\/1\.png' is not a PNG or JPEG file/],
  ];
  for (const [label, make, message] of bad) {
    it(`refuses ${label}: exit 2, one line naming it, nothing stored`, () => {
      const runs = join(root, `runs-${label.replace(/\W+/g, '-')}`);
      mkdirSync(runs);
      const r = tsnas(['search', '--space', 'nasfpn', ...tiny(make()), '--executor', 'inline', '--evaluations', '2', '--runs-dir', runs, '--name', 'mine', '--quiet']);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, message);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
      assert.deepEqual(readdirSync(runs), [], 'nothing stored');
    });
  }
});
