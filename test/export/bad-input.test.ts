import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { encodePng } from '../../src/data/index.js';
import { RunsFolder } from '../../src/store/runs-folder.js';
import { tsnas } from '../helpers/cli.js';
import { writeSyntheticTable } from '../helpers/nb201-fixture.js';
import { tinyNasFpnSearch } from '../helpers/tiny-nasfpn.js';
import { tinyNasNetSearch } from '../helpers/tiny-nasnet.js';

describe('export, report and show --csv on stored experiments', () => {
  const runs = mkdtempSync(join(tmpdir(), 'tsnas-export-bad-'));
  tinyNasFpnSearch(runs, 'tiny', 3);
  const store = new RunsFolder(runs).open('tiny');
  store.putTrial({ ...store.trial(1)!, status: 'failed', reward: null, metrics: null, error: 'boom' });
  store.close();

  it('refuses what cannot be exported or reported with a message naming it (exit 2)', () => {
    const bad = (args: string[], re: RegExp) => {
      const r = tsnas([...args, '--runs-dir', runs]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, re);
    };
    bad(['export', 'nope', '--out', join(runs, 'm')], /no experiment 'nope' in /);
    bad(['report', 'nope'], /no experiment 'nope' in /);
    bad(['show', 'nope', '--csv'], /no experiment 'nope' in /);
    bad(['export', 'tiny', '--trial', '1', '--out', join(runs, 'm')], /trial 1 of 'tiny' failed \(boom\): nothing to export/);
    bad(['export', 'tiny', '--trial', '99', '--out', join(runs, 'm')], /experiment 'tiny' has no trial 99 \(it has 3: 0–2\)/);
    bad(['export', 'tiny', '--fidelity', '999', '--out', join(runs, 'm')], /--fidelity: must be within 5\.\.10 steps/);
    const nb201 = { env: { TSNAS_NB201_DIR: writeSyntheticTable() } };
    assert.equal(tsnas(['search', '--space', 'nasbench201', '--evaluations', '3', '--runs-dir', runs, '--name', 'table', '--quiet'], nb201).code, 0);
    const lookup = tsnas(['export', 'table', '--runs-dir', runs, '--out', join(runs, 'm')], nb201);
    assert.equal(lookup.code, 2);
    assert.match(lookup.err, /evaluator 'nasbench201' trains no network \(a table lookup\?\): there are no weights to export/);
  });

  it('show --csv: one row per trial, one column per decision and metric', () => {
    const r = tsnas(['show', 'tiny', '--csv', '--runs-dir', runs]);
    assert.equal(r.code, 0, r.err);
    const rows = parse(r.out, { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 3);
    assert.deepEqual(rows.map((x) => x.status), ['complete', 'failed', 'complete']);
    assert.equal(rows[1]!.error, 'boom');
    for (const column of ['trial', 'seed', 'reward', 'key', 'cell0.input_i', 'cell6.op', 'ap', 'test_ap', 'params']) assert.ok(column in rows[0]!, column);
    assert.match(rows[0]!['cell0.op']!, /^(sum|global_pool)$/);
    const json = JSON.parse(tsnas(['show', 'tiny', '--json', '--all', '--runs-dir', runs]).out) as { table: { trial: number; decisions: Record<string, string> }[] };
    assert.deepEqual(json.table.map((t) => t.trial), [0, 1, 2]);
    assert.equal(json.table[0]!.decisions['cell0.op'], rows[0]!['cell0.op']);
  });

  it('the report marks the failed trial', () => {
    const out = join(runs, 'tiny.html');
    assert.equal(tsnas(['report', 'tiny', '--runs-dir', runs, '--out', out]).code, 0);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<tr data-trial="1"[^>]*title="boom"><td data-v="1">1<\/td><td class="text status-failed" data-v="failed">failed</);
    assert.match(html, /"trial":1,"evaluation":2,"seconds":[\d.]+,"reward":[^,]+,"status":"failed"/);
  });
});

describe('predict with a classifier: bad model folders and images', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsnas-export-bad-cls-'));
  tinyNasNetSearch(join(dir, 'runs'), 'cls');
  const model = join(dir, 'model');
  const exported = tsnas(['export', 'cls', '--runs-dir', join(dir, 'runs'), '--out', model]);
  const image = join(dir, 'digit.png');
  writeFileSync(image, encodePng({ width: 28, height: 28, data: new Uint8Array(28 * 28).fill(40) }));

  it('refuses a damaged folder, a manifest of another version or kind, an unreadable image and detector flags, naming them (exit 2)', () => {
    assert.equal(exported.code, 0, exported.err);
    const bad = (args: string[], re: RegExp) => {
      const r = tsnas(['predict', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, re);
    };
    assert.equal(tsnas(['predict', '--model', model, image]).code, 0, 'the intact folder predicts');
    const text = join(dir, 'not-an-image.png');
    writeFileSync(text, 'hello');
    bad(['--model', model, text], /image '.*not-an-image\.png' is not a PNG or JPEG file/);
    bad(['--model', model, image, '--draw', join(dir, 'drawn')], /--draw: model folder '.*model' holds a classifier: there are no boxes to draw/);
    bad(['--model', model, image, '--top', '0'], /--top: expected a whole number of classes, at least 1, got 0/);
    // A copy to damage; the exported folder stays intact.
    const copy = join(dir, 'model-damaged');
    cpSync(model, copy, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(copy, 'model.json'), 'utf8'));
    const write = (m: object) => writeFileSync(join(copy, 'model.json'), JSON.stringify(m));
    write({ ...manifest, formatVersion: 2, generatedBy: 'tsnas 9.0.0' });
    bad(['--model', copy, image], /format version 2 \(tsnas 9\.0\.0\); this tsnas reads version 1: export it again/);
    write({ ...manifest, modelTopology: { ...manifest.modelTopology, kind: 'segmenter' } });
    bad(['--model', copy, image], /holds a model of kind "segmenter"; this tsnas loads detector and classifier models/);
    write({ ...manifest, modelTopology: { ...manifest.modelTopology, kind: 'detector' } });
    bad(['--model', copy, image], /model folder '.*model-damaged': a detector is built on the nasfpn space; its manifest names 'nasnet'/);
    write({ ...manifest, modelTopology: { ...manifest.modelTopology, config: { ...manifest.modelTopology.config, filters: 8 } } });
    bad(['--model', copy, image], /model folder '.*model-damaged': weight '.*' has shape \[.*\], the network's variable \[.*\]/);
    write(manifest);
    rmSync(join(copy, 'group1-shard1of1.bin'));
    bad(['--model', copy, image], /model folder '.*model-damaged': weights shard 'group1-shard1of1\.bin' is missing/);
  });
});
