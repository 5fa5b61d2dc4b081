import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { DetectionData } from '../../src/core/dataset.js';
import { DataError } from '../../src/core/errors.js';
import { cocoDatasetFactory } from '../../src/data/coco.js';
import { writeCocoSet, type CocoEdit, type FixtureImage } from '../helpers/coco-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'tsnas-coco-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A COCO folder of 3 splits, 2 black 40x20 images each with one white box; `edit` may break a split's JSON. */
function coco(name: string, edit?: CocoEdit): string {
  const images: FixtureImage[] = [
    { width: 40, height: 20, boxes: [{ bbox: [2, 2, 10, 6], category: 7 }] },
    { width: 40, height: 20, boxes: [{ bbox: [20, 10, 16, 8], category: 3 }] },
  ];
  return writeCocoSet(join(root, name), { train: images, val: images, test: images }, [{ id: 7, name: 'cat' }, { id: 3, name: 'dog' }], edit);
}

const dataError = (pattern: RegExp) => (e: Error) => e instanceof DataError && pattern.test(e.message);

describe('COCO-format dataset', () => {
  it('reads the three splits: images stretched to the canvas (the default), boxes scaled, categories by id', () => {
    const d = cocoDatasetFactory.create({ path: coco('good'), size: 32 }) as DetectionData;
    assert.equal(d.kind, 'detection');
    assert.deepEqual(d.shape, [32, 32, 1]);
    assert.deepEqual(d.classNames, ['dog', 'cat']);
    assert.deepEqual([d.size('train'), d.size('val'), d.size('test')], [2, 2, 2]);
    const out = new Float32Array(32 * 32);
    const [first] = d.read('val', 0, out, 0);
    assert.equal(first!.label, 1);
    first!.box.forEach((v, k) => assert.ok(Math.abs(v - [1.6, 3.2, 9.6, 12.8][k]!) < 1e-9, `box ${first!.box}`));
    assert.ok(out[8 * 32 + 5]! > 0.9 && out[30 * 32 + 30]! < 0.1, 'the rectangle is where its box says');
  });

  it('letterboxes when told: the aspect ratio kept, the image centred on black, boxes moved with it', () => {
    const d = cocoDatasetFactory.create({ path: coco('letterbox'), size: 32, fit: 'letterbox' }) as DetectionData;
    const out = new Float32Array(32 * 32);
    const [first] = d.read('train', 0, out, 0);
    // 40x20 -> 32x16, 8 rows of black above and below.
    first!.box.forEach((v, k) => assert.ok(Math.abs(v - [1.6, 9.6, 9.6, 14.4][k]!) < 1e-9, `box ${first!.box}`));
    assert.ok(out[12 * 32 + 5]! > 0.9, 'the rectangle is where its box says');
    assert.equal(Math.max(...out.subarray(0, 8 * 32), ...out.subarray(24 * 32)), 0, 'the bands are black');
    // COCO's size buckets are areas in the original image: 32² and 96² px there, 0.8² as large here.
    const { small, medium } = d.areaThresholds;
    assert.ok(Math.abs(small - 32 * 32 * 0.64) < 1e-9 && Math.abs(medium - 96 * 96 * 0.64) < 1e-9, `${small}, ${medium}`);
  });

  it('reads splits under other names (COCO 2017: train2017, val2017) and refuses a split used twice', () => {
    const dir = coco('renamed');
    for (const [from, to] of [['train', 'train2017'], ['val', 'val2017'], ['test', 'mytest']]) {
      renameSync(join(dir, from!), join(dir, to!));
      renameSync(join(dir, 'annotations', `instances_${from}.json`), join(dir, 'annotations', `instances_${to}.json`));
    }
    const d = cocoDatasetFactory.create({ path: dir, train: 'train2017', val: 'val2017', test: 'mytest' }) as DetectionData;
    assert.deepEqual([d.size('train'), d.size('val'), d.size('test')], [2, 2, 2]);
    assert.throws(() => cocoDatasetFactory.create({ path: dir }), dataError(/instances_train\.json' are missing/));
    assert.throws(() => cocoDatasetFactory.create({ path: dir, train: 'train2017', val: 'val2017', test: 'val2017' }), /dataset\.test: .*'val2017' twice/);
  });

  it('names the file and the annotation of a malformed set', () => {
    const make = (name: string, edit: CocoEdit) => () => cocoDatasetFactory.create({ path: coco(name, edit) });
    assert.throws(() => cocoDatasetFactory.create({ path: join(root, 'nowhere') }), dataError(/COCO folder '.*nowhere' does not exist/));
    const noVal = coco('no-val');
    rmSync(join(noVal, 'annotations', 'instances_val.json'));
    assert.throws(() => cocoDatasetFactory.create({ path: noVal }), dataError(/annotations '.*instances_val\.json' are missing/));
    const badJson = coco('bad-json');
    writeFileSync(join(badJson, 'annotations', 'instances_test.json'), '{"images": [');
    assert.throws(() => cocoDatasetFactory.create({ path: badJson }), dataError(/instances_test\.json' are not valid JSON/));
    assert.throws(make('outside', (s, j) => { if (s === 'train') j.annotations[1]!.bbox = [30, 10, 16, 8]; }),
      dataError(/instances_train\.json: annotations\[1\] \(id 2\): box \[30, 10, 16, 8\] is not inside its 40x20 image '.*1\.png'/));
    assert.throws(make('no-category', (s, j) => { if (s === 'val') j.annotations[0]!.category_id = 99; }), dataError(/instances_val\.json: annotations\[0\] \(id 3\) has category 99/));
    const unreadable = coco('unreadable');
    writeFileSync(join(unreadable, 'test', '1.png'), 'garbage');
    assert.throws(() => cocoDatasetFactory.create({ path: unreadable }), dataError(/image '.*test\/1\.png' is not a PNG or JPEG file/));
    assert.throws(make('wrong-size', (s, j) => { if (s === 'val') j.images[1]!.width = 80; }), dataError(/instances_val\.json: images\[1\] says 80x20, but image '.*val\/1\.png' is 40x20/));
    const missingImage = coco('missing-image');
    rmSync(join(missingImage, 'train', '0.png'));
    assert.throws(() => cocoDatasetFactory.create({ path: missingImage }), /train\/0\.png/);
  });
});
