import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import type { DetectionData } from '../../src/core/dataset.js';
import { DataError } from '../../src/core/errors.js';
import { cocoDatasetFactory } from '../../src/data/coco.js';

const root = mkdtempSync(join(tmpdir(), 'tsnas-coco-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A black 40x20 PNG with a white rectangle [x, y, w, h]. */
function png([x, y, w, h]: number[]): Buffer {
  const img = new PNG({ width: 40, height: 20 });
  for (let p = 0; p < 800; p++) {
    const [px, py] = [p % 40, Math.floor(p / 40)];
    const v = px >= x! && px < x! + w! && py >= y! && py < y! + h! ? 255 : 0;
    img.data.set([v, v, v, 255], 4 * p);
  }
  return PNG.sync.write(img);
}

type Edit = (split: string, json: { images: Record<string, unknown>[]; annotations: Record<string, unknown>[]; categories: unknown[] }) => void;

/** A COCO folder of 3 splits, 2 images each, one box per image; `edit` may break a split's JSON. */
function coco(name: string, edit: Edit = () => {}): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'annotations'), { recursive: true });
  for (const split of ['train', 'val', 'test']) {
    mkdirSync(join(dir, split));
    const boxes = [[2, 2, 10, 6], [20, 10, 16, 8]];
    boxes.forEach((b, k) => writeFileSync(join(dir, split, `${k}.png`), png(b)));
    const json = {
      images: boxes.map((_, k) => ({ id: k + 1, file_name: `${k}.png`, width: 40, height: 20 })),
      annotations: boxes.map((b, k) => ({ id: 10 + k, image_id: k + 1, category_id: k === 0 ? 7 : 3, bbox: b, iscrowd: 0 })),
      categories: [{ id: 7, name: 'cat' }, { id: 3, name: 'dog' }],
    };
    edit(split, json);
    writeFileSync(join(dir, 'annotations', `instances_${split}.json`), JSON.stringify(json));
  }
  return dir;
}

const dataError = (pattern: RegExp) => (e: Error) => e instanceof DataError && pattern.test(e.message);

describe('COCO-format dataset', () => {
  it('reads the three splits: images resized to the canvas, boxes scaled, categories by id', () => {
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
    assert.ok(d.areaThresholds.small < d.areaThresholds.medium);
  });

  it('names the file and the annotation of a malformed set', () => {
    const make = (name: string, edit: Edit) => () => cocoDatasetFactory.create({ path: coco(name, edit) });
    assert.throws(() => cocoDatasetFactory.create({ path: join(root, 'nowhere') }), dataError(/COCO folder '.*nowhere' does not exist/));
    const noVal = coco('no-val');
    rmSync(join(noVal, 'annotations', 'instances_val.json'));
    assert.throws(() => cocoDatasetFactory.create({ path: noVal }), dataError(/annotations '.*instances_val\.json' are missing/));
    const badJson = coco('bad-json');
    writeFileSync(join(badJson, 'annotations', 'instances_test.json'), '{"images": [');
    assert.throws(() => cocoDatasetFactory.create({ path: badJson }), dataError(/instances_test\.json' are not valid JSON/));
    assert.throws(make('outside', (s, j) => { if (s === 'train') j.annotations[1]!.bbox = [30, 10, 16, 8]; }),
      dataError(/instances_train\.json: annotations\[1\] \(id 11\): box \[30, 10, 16, 8\] is not inside its 40x20 image '.*1\.png'/));
    assert.throws(make('no-category', (s, j) => { if (s === 'val') j.annotations[0]!.category_id = 99; }), dataError(/instances_val\.json: annotations\[0\] \(id 10\) has category 99/));
    const unreadable = coco('unreadable');
    writeFileSync(join(unreadable, 'test', '1.png'), 'garbage');
    assert.throws(() => cocoDatasetFactory.create({ path: unreadable }), dataError(/image '.*test\/1\.png' is not a PNG or JPEG file/));
    const missingImage = coco('missing-image');
    rmSync(join(missingImage, 'train', '0.png'));
    assert.throws(() => cocoDatasetFactory.create({ path: missingImage }), /train\/0\.png/);
  });
});
