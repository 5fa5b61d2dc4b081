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

  it('finds the digits of generated PNGs (class and box), and draws them', () => {
    // Eight test scenes whose two digits do not touch. A detector trained for 1000 steps misses about one
    // digit in eleven: 16 exports (8 seeds, with the fused box loss and the composite one) found 13-16 of
    // these 16 digits, and their strongest detection was right on 5-8 of the 8 images. A bar of every
    // digit hangs on one hard digit, and so on the training's last bits (the seed, the CPU's sgemm); these
    // bars still fail for a detector that did not learn, or a predict that reads images wrongly.
    const data = createDigitDetectionDataset({ split: 'test', numImages: 40, seed: 3, sideRange: [44, 56], digitsPerImage: [2, 2] });
    const apart = ([a, b]: readonly { box: Box }[]) => a!.box[2] <= b!.box[0] || b!.box[2] <= a!.box[0] || a!.box[3] <= b!.box[1] || b!.box[3] <= a!.box[1];
    const scenes = Array.from({ length: 40 }, (_, i) => data.get(i)).filter((s) => apart(s.objects)).slice(0, 8);
    assert.equal(scenes.length, 8);
    const files = scenes.map((s, i) => {
      const file = join(dir, `digits-${i}.png`);
      writeFileSync(file, encodePng(renderWithBoxes(s.image, s.width, s.height, [])));
      return { file, objects: s.objects };
    });
    // The first image again as a JPEG (quality 95): decoded by jpeg-js, its digits found as in the PNG.
    const png = PNG.sync.read(readFileSync(files[0]!.file));
    const jpg = join(dir, 'digits-0.jpg');
    writeFileSync(jpg, jpeg.encode({ data: png.data, width: png.width, height: png.height }, 95).data);
    const r = tsnas(['predict', '--model', model, ...files.map((f) => f.file), jpg, '--draw', join(dir, 'drawn')]);
    assert.equal(r.code, 0, r.err);
    const predictions = JSON.parse(r.out) as Prediction[];
    assert.equal(predictions.length, files.length + 1);
    assert.notEqual(predictions[8]!.drawn, predictions[0]!.drawn, 'digits-0.jpg is drawn apart from digits-0.png');
    const right = (objects: readonly { label: number; box: Box }[]) => (d: Prediction['detections'][number]) =>
      objects.some((o) => d.class === String(o.label) && boxIou(d.box, o.box) >= 0.5);
    // A digit is found when a detection of its class (above the 0.3 threshold) lies on its box.
    const foundIn = (p: Prediction, objects: readonly { label: number; box: Box }[]) =>
      objects.filter((o) => p.detections.some((d) => right([o])(d)));
    let found = 0;
    let strongest = 0;
    const seen: string[] = [];
    files.forEach(({ objects }, i) => {
      const p = predictions[i]!;
      assert.equal(p.width, 128);
      found += foundIn(p, objects).length;
      if (p.detections[0] && right(objects)(p.detections[0])) strongest++;
      seen.push(`image ${i} ${JSON.stringify(objects.map((o) => [o.label, o.box.map(Math.round)]))}: ` +
        JSON.stringify(p.detections.map((d) => [d.class, d.score.toFixed(2), d.box.map(Math.round)])));
      const drawn = PNG.sync.read(readFileSync(p.drawn!));
      assert.equal(drawn.width, 128);
      assert.ok(drawn.data.some((v, k) => k % 4 === 0 && v !== drawn.data[k + 1]), 'coloured boxes drawn');
    });
    assert.ok(found >= 12, `${found} of 16 digits found:\n${seen.join('\n')}`);
    assert.ok(strongest >= 4, `the strongest detection is right on ${strongest} of 8 images:\n${seen.join('\n')}`);
    const labels = (p: Prediction) => foundIn(p, files[0]!.objects).map((o) => o.label);
    assert.deepEqual(labels(predictions[8]!), labels(predictions[0]!), 'the JPEG copy gives the PNG\'s digits');
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
