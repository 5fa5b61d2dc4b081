// Output for people: show's tables fit the terminal with rounded numbers, the ETA says something
// before the first result, and a search ends saying what to do next.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { duration, etaText } from '../../src/cli/progress.js';
import { formatCell, textTable } from '../../src/cli/text-table.js';
import { tsnas } from '../helpers/cli.js';
import { writeSyntheticTable } from '../helpers/nb201-fixture.js';
import { tempDir } from '../helpers/run.js';

describe('terminal output', () => {
  it('formats numbers as people read them', () => {
    assert.deepEqual([72.51999990844726, 3, 0.00012346, 1e9 + 0.5, null, 'a b'].map(formatCell), ['72.5200', '3', '0.0001235', '1.000e+9', '', 'a b']);
  });

  it('fits a table to the width: cuts the widest text column, then leaves out columns and names them', () => {
    const rows = [{ trial: 1, key: 'x'.repeat(200), reward: 0.123456, a: 1.5, b: 2.25 }, { trial: 10, key: 'short', reward: null, a: 3, b: 4 }];
    const wide = textTable(rows, 500).split('\n');
    assert.equal(wide[0], `trial  ${'key'.padEnd(200)}  reward       a       b`);
    assert.equal(wide[2]?.slice(0, 7), '    1  ');
    const narrow = textTable(rows, 60).split('\n');
    assert.ok(narrow.every((l) => l.length <= 60), narrow.join('\n'));
    assert.match(narrow[2] as string, /^ {4}1 {2}x+… {2}0\.1235/);
    const tiny = textTable(rows, 30).split('\n');
    assert.ok(tiny.slice(0, -1).every((l) => l.length <= 30), tiny.join('\n'));
    assert.match(tiny.at(-1) as string, /^\(\d more columns? not shown: .*b; --json or --csv has all\)$/);
  });

  it('gives a sensible ETA', () => {
    assert.equal(etaText(0, 0, 10), 'time left known after the first result');
    assert.equal(etaText(10_000, 2, 10), 'about 40s left');
    assert.equal(etaText(10_000, 10, 10), 'done');
    assert.deepEqual([duration(0.2), duration(185), duration(7620)], ['1s', '3m 05s', '2h 07m']);
  });

  it('search ends with the next commands; show prints an aligned, rounded table within 120 columns', () => {
    const runs = tempDir();
    const r = tsnas(['search', '--space', 'nasbench201', '--evaluator-opt', `path=${writeSyntheticTable()}`, '--evaluations', '5', '--runs-dir', runs, '--name', 'e', '--quiet']);
    assert.equal(r.code, 0, r.err);
    const tail = r.out.trim().split('\n').slice(-3);
    assert.match(tail[0] as string, /^next:$/);
    assert.match(tail[1] as string, new RegExp(`^  tsnas show e --runs-dir ${runs} +every trial`));
    assert.match(tail[2] as string, /^ {2}tsnas report e .*--out e\.html +a report of the whole search$/);
    assert.doesNotMatch(r.out, /tsnas export/, 'a table lookup has no weights to export');
    const shown = tsnas(['show', 'e', '--runs-dir', runs]);
    assert.equal(shown.code, 0, shown.err);
    const table = shown.out.split('\n').slice(3).filter(Boolean);
    assert.match(table[0] as string, /^trial +status +reward +key +val_acc/);
    assert.ok(table.every((l) => l.length <= 120), shown.out);
    assert.doesNotMatch(shown.out, /\(index\)|'|\d\.\d{5,}/);
  });
});
