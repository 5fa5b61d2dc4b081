import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { RunsFolder } from '../../src/store/runs-folder.js';
import { tsnas } from '../helpers/cli.js';
import { writeSyntheticTable } from '../helpers/nb201-fixture.js';
import { tinyNasFpnSearch } from '../helpers/tiny-nasfpn.js';

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
