import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { createDigitDetectionDataset, encodePng, renderWithBoxes } from '../../src/data/index.js';
import { boxIou, type Box } from '../../src/metrics/index.js';
import { NAMED_PYRAMIDS } from '../../src/spaces/nasfpn/named.js';
import { RunsFolder } from '../../src/store/runs-folder.js';
import { tsnas } from '../helpers/cli.js';
import { tinyNasFpnSearch } from '../helpers/tiny-nasfpn.js';

/** Large, well separated digits: what a detector trained for a minute on the same task finds. */
const TASK = ['minSide=32', 'maxSide=64', 'minObjects=1', 'maxObjects=2', 'trainImages=512', 'valImages=32', 'testImages=32', 'warmupSteps=10'];

interface Prediction {
  image: string;
  width: number;
  height: number;
  detections: { class: string; label: number; score: number; box: Box }[];
  drawn?: string;
}

describe('tsnas predict: an exported detector on generated PNGs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsnas-predict-'));
  const runs = join(dir, 'runs');
  // A stored search on the task, then its trial replaced by the no-fusion pyramid (the quickest to learn
  // on this proxy), so the export trains a known architecture.
  tinyNasFpnSearch(runs, 'digits', 1, ['--space-opt', 'cells=5', '--space-opt', 'ops=sum,global_pool,first', ...TASK.flatMap((o) => ['--evaluator-opt', o])]);
  const store = new RunsFolder(runs).open('digits');
  const t = store.trial(0)!;
  const genotype = NAMED_PYRAMIDS['no-fusion']!;
  store.putTrial({ ...t, genotype: genotype as never, key: 'no-fusion', status: 'complete' });
  store.close();
  const model = join(dir, 'model');
  const exported = tsnas(['export', 'digits', '--runs-dir', runs, '--out', model, '--evaluator-opt', 'steps=1000', '--fidelity', '1000', '--json']);

  it('exports the trained detector', () => {
    assert.equal(exported.code, 0, exported.err);
    assert.ok((JSON.parse(exported.out) as { metrics: { ap50: number } }).metrics.ap50 > 0.4);
  });

  it('finds the digits of a generated PNG (class and box), and draws them', () => {
    const data = createDigitDetectionDataset({ split: 'test', numImages: 3, seed: 3, sideRange: [44, 56], digitsPerImage: [2, 2] });
    const files = [0, 1, 2].map((i) => {
      const s = data.get(i);
      const file = join(dir, `digits-${i}.png`);
      writeFileSync(file, encodePng(renderWithBoxes(s.image, s.width, s.height, [])));
      return { file, objects: s.objects };
    });
    // The first image again as a JPEG (quality 95): decoded by jpeg-js, the same digits found.
    const png = PNG.sync.read(readFileSync(files[0]!.file));
    const jpg = join(dir, 'digits-0.jpg');
    writeFileSync(jpg, jpeg.encode({ data: png.data, width: png.width, height: png.height }, 95).data);
    files.push({ file: jpg, objects: files[0]!.objects });
    const r = tsnas(['predict', '--model', model, ...files.map((f) => f.file), '--draw', join(dir, 'drawn')]);
    assert.equal(r.code, 0, r.err);
    const predictions = JSON.parse(r.out) as Prediction[];
    assert.equal(predictions.length, files.length);
    assert.notEqual(predictions[3]!.drawn, predictions[0]!.drawn, 'digits-0.jpg is drawn apart from digits-0.png');
    files.forEach(({ objects }, i) => {
      const p = predictions[i]!;
      assert.equal(p.width, 128);
      const found = (d: Prediction['detections'][number]) => objects.some((o) => d.class === String(o.label) && boxIou(d.box, o.box) >= 0.5);
      const seen = JSON.stringify(p.detections.map((d) => [d.class, d.score.toFixed(2), d.box.map(Math.round)]));
      // Every digit is detected with its class on its box (above the 0.3 threshold); a weaker guess of
      // another class may sit on the same box, but the image's strongest detection is a right one.
      for (const o of objects) assert.ok(p.detections.some((d) => d.class === String(o.label) && boxIou(d.box, o.box) >= 0.5), `image ${i}: digit ${o.label} at [${o.box.map(Math.round)}] not found in ${seen}`);
      assert.ok(p.detections[0] && found(p.detections[0]), `image ${i}: strongest detection is wrong: ${seen}`);
      const drawn = PNG.sync.read(readFileSync(p.drawn!));
      assert.equal(drawn.width, 128);
      assert.ok(drawn.data.some((v, k) => k % 4 === 0 && v !== drawn.data[k + 1]), 'coloured boxes drawn');
    });
  });

  it('refuses bad model folders and images with a message naming them (exit 2)', () => {
    const bad = (args: string[], re: RegExp) => {
      const r = tsnas(args);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, re);
    };
    const text = join(dir, 'not-an-image.png');
    writeFileSync(text, 'hello');
    bad(['predict', '--model', model, text], /image '.*not-an-image\.png' is not a PNG or JPEG file/);
    const truncated = join(dir, 'truncated.png');
    writeFileSync(truncated, readFileSync(join(dir, 'digits-0.png')).subarray(0, 60));
    bad(['predict', '--model', model, truncated], /cannot decode image '.*truncated\.png'/);
    bad(['predict', '--model', model, join(dir, 'missing.png')], /cannot read image '.*missing\.png': no such file/);
    bad(['predict', '--model', join(dir, 'nowhere'), text], /model folder '.*nowhere' does not exist/);
    // A copy to damage; the exported folder stays intact.
    const copy = join(dir, 'model-damaged');
    cpSync(model, copy, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(copy, 'model.json'), 'utf8'));
    writeFileSync(join(copy, 'model.json'), JSON.stringify({ ...manifest, formatVersion: 99, generatedBy: 'tsnas 9.0.0' }));
    bad(['predict', '--model', copy, join(dir, 'digits-0.png')], /format version 99 \(tsnas 9\.0\.0\); this tsnas reads version 1/);
    writeFileSync(join(copy, 'model.json'), JSON.stringify({ ...manifest, format: 'layers-model' }));
    bad(['predict', '--model', copy, join(dir, 'digits-0.png')], /is not a tsnas model \(format "layers-model"/);
    writeFileSync(join(copy, 'model.json'), JSON.stringify(manifest));
    rmSync(join(copy, 'group1-shard1of1.bin'));
    bad(['predict', '--model', copy, join(dir, 'digits-0.png')], /weights shard 'group1-shard1of1\.bin' is missing/);
  });
});
