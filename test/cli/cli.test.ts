import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeSyntheticTable } from '../helpers/nb201-fixture.js';
import { tempDir } from '../helpers/run.js';

const BIN = join(process.cwd(), 'bin', 'tsnas.js');
const table = writeSyntheticTable();

function tsnas(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, TSNAS_NB201_DIR: table } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('tsnas CLI', () => {
  it('prints help for every command', () => {
    for (const cmd of [[], ['search'], ['bench'], ['list'], ['show'], ['components']]) {
      const r = tsnas(...cmd, '--help');
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /Usage: tsnas/);
    }
  });

  it('exits non-zero with a clear message on bad input', () => {
    const cases: [string[], number, RegExp][] = [
      [['search', '--memory', '--strategy', 'nope'], 2, /unknown strategy 'nope'; known: .*evolution.*random/],
      [['search', '--space', 'nasbench201', '--memory', '--evaluator-opt', 'path=/nonexistent/x'], 2, /'\/nonexistent\/x' does not exist/],
      [['search', '--memory', '--strategy-opt', 'population=0'], 2, /evolution\.population: must be >= 1/],
      [['search', '--memory', '--evaluations', 'many'], 2, /--evaluations: expected a non-negative integer/],
      [['search', '--space', 'nasbench201', '--memory', '--reward', 'accuracy * 2'], 2, /unknown name 'accuracy'/],
      [['search', '--bogus'], 1, /unknown option '--bogus'/],
      [['bench', '--strategies', 'random,random'], 2, /label 'random' appears twice/],
      [['search', '--memory', '--plugin', './missing-plugin.js'], 2, /plugin '.\/missing-plugin.js' not found/],
      [['show', 'nothing', '--runs-dir', tempDir()], 2, /no experiment 'nothing'/],
    ];
    for (const [args, code, re] of cases) {
      const r = tsnas(...args);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, re);
    }
  });

  it('searches into a store, refuses to overwrite it, resumes it, lists and shows it', () => {
    const runs = tempDir();
    const first = tsnas('search', '--space', 'nasbench201', '--runs-dir', runs, '--name', 'e1', '--evaluations', '20', '--seed', '3');
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /20 evaluations, 20 trials/);
    const again = tsnas('search', '--space', 'nasbench201', '--runs-dir', runs, '--name', 'e1', '--evaluations', '30', '--seed', '3');
    assert.equal(again.code, 2);
    assert.match(again.err, /already exists .*--resume/);
    const resumed = tsnas('search', '--space', 'nasbench201', '--runs-dir', runs, '--name', 'e1', '--evaluations', '30', '--seed', '3', '--resume', '--json');
    assert.equal(resumed.code, 0, resumed.err);
    const outcome = JSON.parse(resumed.out);
    assert.equal(outcome.evaluations, 30);
    const shown = JSON.parse(tsnas('show', 'e1', '--runs-dir', runs, '--json', '--all').out);
    assert.equal(shown.trials.length, outcome.trials);
    assert.equal(shown.counts.complete, 30);
    const listed = JSON.parse(tsnas('list', '--runs-dir', runs, '--json').out);
    assert.deepEqual(listed.map((e: { name: string }) => e.name), ['e1']);
    const one = JSON.parse(tsnas('show', 'e1', '--runs-dir', runs, '--trial', '0').out);
    assert.equal(one.number, 0);
  });

  it('benchmarks built-in and plugin strategies and writes CSV, JSON and Markdown', () => {
    const out = tempDir();
    const r = tsnas('bench', '--plugin', './dist/plugins/hill-climb/index.js', '--strategies', 'random,hill-climb,rea=evolution', '--strategy-opt', 'rea.population=10', '--seeds', '4', '--evaluations', '40', '--out', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\| hill-climb \|/);
    const json = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8'));
    assert.deepEqual(json.summaries.map((s: { label: string }) => s.label), ['random', 'hill-climb', 'rea']);
    assert.deepEqual(json.config.checkpoints, [25, 40]);
    assert.equal(json.runs.length, 12);
    assert.ok(existsSync(join(out, 'bench.csv')) && existsSync(join(out, 'bench.md')));
    assert.equal(readFileSync(join(out, 'bench.csv'), 'utf8').trim().split('\n').length, 13);
  });
});
