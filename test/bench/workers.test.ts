// `tsnas bench --workers N` runs the (strategy, seed) runs in worker threads: the same records as one
// thread, plugins loaded in every worker, a strategy's exception failing its run only, a config error
// stopping the bench as inline.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readBench, withoutTimings } from '../helpers/bench-json.js';
import { tsnas } from '../helpers/cli.js';
import { writeSyntheticTable } from '../helpers/nb201-fixture.js';
import { pluginProject, strategyPlugin } from '../helpers/plugin-project.js';
import { tempDir } from '../helpers/run.js';

const env = { TSNAS_NB201_DIR: writeSyntheticTable() };
const BENCH = ['bench', '--plugin', './dist/plugins/hill-climb/index.js', '--strategies', 'random,rea=evolution,hill-climb,reinforce', '--strategy-opt', 'rea.population=8', '--seeds', '3', '--evaluations', '30', '--quiet'];

describe('tsnas bench --workers', () => {
  it('gives the same per-seed traces and summaries as one thread, plugin and controller strategies included', () => {
    const [one, three] = [tempDir(), tempDir()];
    const a = tsnas([...BENCH, '--workers', '1', '--out', one], { env });
    const b = tsnas([...BENCH, '--workers', '3', '--out', three], { env });
    assert.equal(a.code, 0, a.err);
    assert.equal(b.code, 0, b.err);
    const [ra, rb] = [readBench(one), readBench(three)];
    assert.equal(rb.runs.length, 12);
    assert.deepEqual(rb.runs.map((r) => `${r.label}:${r.seed}`), ra.runs.map((r) => `${r.label}:${r.seed}`), 'bench.json keeps the task order');
    assert.deepEqual(withoutTimings(rb), withoutTimings(ra));
  });

  it("fails the run whose strategy throws, as inline, and reports the others", () => {
    const tell = `({ ask: (n) => Array.from({ length: n }, () => ({ choices: sampleChoices(space, rng) })),
      tell: (f) => { if (seed === 2 && f.trial === 3) throw new Error('boom at trial ' + f.trial); }, state: () => null, restore: () => {} })`;
    const project = pluginProject({ 'tsnas-flaky': { 'package.json': JSON.stringify({ name: 'tsnas-flaky', type: 'module', main: 'index.js' }), 'index.js': strategyPlugin('flaky', tell) } });
    const out = tempDir();
    const r = tsnas(['bench', '--plugin', 'tsnas-flaky', '--strategies', 'flaky,random', '--seeds', '4', '--evaluations', '10', '--workers', '2', '--out', out, '--quiet'], { cwd: project, env });
    assert.equal(r.code, 2, r.err);
    assert.deepEqual(r.err.trim().split('\n'), ['tsnas: bench: flaky seed 2 failed: boom at trial 3']);
    const json = readBench(out);
    assert.deepEqual(json.failures, [{ label: 'flaky', seed: 2, error: 'boom at trial 3' }]);
    assert.deepEqual(json.runs.map((x) => `${x.label}:${x.seed}`), ['flaky:0', 'flaky:1', 'flaky:3', 'random:0', 'random:1', 'random:2', 'random:3']);
  });

  it('stops on a config error met in a worker, with its one-line message (exit 2)', () => {
    const r = tsnas(['bench', '--strategies', 'random', '--seeds', '4', '--evaluations', '5', '--workers', '2', '--reward', 'nope * 2', '--out', tempDir(), '--quiet'], { env });
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err, /^tsnas: .*unknown name 'nope'/);
  });

  it('refuses a worker count out of range', () => {
    const r = tsnas(['bench', '--workers', '0', '--out', tempDir(), '--quiet'], { env });
    assert.equal(r.code, 2);
    assert.match(r.err, /--workers: expected 1 to \d+ \(4 per core\), got 0/);
  });
});
