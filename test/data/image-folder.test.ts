import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { imageFolderDatasetFactory } from '../../src/data/image-folder.js';
import { tsnas } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'tsnas-images-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A 10x10 PNG: class 'dark' mostly black, 'light' mostly white, with seeded speckles. */
function png(light: boolean, seed: number): Buffer {
  const img = new PNG({ width: 10, height: 10 });
  for (let i = 0; i < 100; i++) {
    const speckle = (i * 37 + seed * 11) % 13 === 0;
    const v = light !== speckle ? 220 : 30;
    img.data.set([v, v, (v + seed) % 256, 255], 4 * i);
  }
  return PNG.sync.write(img);
}

function folder(name: string, perClass = 12): string {
  const dir = join(root, name);
  for (const c of ['dark', 'light']) {
    mkdirSync(join(dir, c), { recursive: true });
    for (let k = 0; k < perClass; k++) writeFileSync(join(dir, c, `${k}.png`), png(c === 'light', k));
  }
  return dir;
}

const trainArgs = (dir: string) => ['train', '--space', 'nasnet', '--genotype', 'resnet-like', '--json', '--evaluator-opt', 'dataset=image-folder', '--evaluator-opt', `data.path=${dir}`,
  '--evaluator-opt', 'steps=30', '--evaluator-opt', 'batchSize=8', '--evaluator-opt', 'filters=4', '--evaluator-opt', 'reductions=1', '--evaluator-opt', 'warmupSteps=2'];

describe('image-folder dataset', () => {
  it('reads one sub-folder per class, deals out validation and test, keeps the images\' shape', () => {
    const d = imageFolderDatasetFactory.create({ path: folder('plain') }) as ReturnType<typeof imageFolderDatasetFactory.create> & { size(s: string): number; shape: number[]; classNames: string[] };
    assert.deepEqual(d.classNames, ['dark', 'light']);
    assert.deepEqual(d.shape, [10, 10, 3]);
    assert.equal(d.size('train') + d.size('val') + d.size('test'), 24);
    assert.ok(d.size('val') >= 4 && d.size('test') >= 4);
    const gray = imageFolderDatasetFactory.create({ path: join(root, 'plain'), size: 6, color: 'gray' }) as unknown as { shape: number[] };
    assert.deepEqual(gray.shape, [6, 6, 1]);
  });

  it('trains through the CLI, the network shaped by the images', () => {
    const r = tsnas(trainArgs(folder('cli')));
    assert.equal(r.code, 0, r.err);
    const m = (JSON.parse(r.out) as { metrics: Record<string, number> }).metrics;
    assert.ok(m.val_acc! >= 75 && m.test_acc! >= 75, JSON.stringify(m));
  });

  it('a missing folder, a class without images or an unreadable image: exit 2 naming it, nothing stored', () => {
    const missing = tsnas(trainArgs(join(root, 'nope')));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /image folder '.*nope' does not exist/);
    const empty = folder('empty');
    mkdirSync(join(empty, 'zebra'));
    assert.match(tsnas(trainArgs(empty)).err, /class folder '.*zebra' has no \.png or \.jpg images/);
    const broken = folder('broken');
    writeFileSync(join(broken, 'dark', '99.png'), 'not a png');
    const bad = tsnas(trainArgs(broken));
    assert.equal(bad.code, 2);
    assert.match(bad.err, /image '.*dark\/99\.png' is not a PNG or JPEG file/);
    const runs = join(root, 'runs');
    const search = tsnas(['search', '--space', 'nasnet', '--executor', 'inline', '--runs-dir', runs, '--evaluations', '1', '--evaluator-opt', 'dataset=image-folder', '--evaluator-opt', `data.path=${broken}`]);
    assert.equal(search.code, 2, search.err);
    assert.match(search.err, /99\.png/);
    assert.ok(!existsSync(runs) || readdirSync(runs).length === 0, 'nothing stored');
  });
});
