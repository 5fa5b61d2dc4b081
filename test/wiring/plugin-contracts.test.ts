// A plugin that breaks a contract fails with exit 2 and one line naming the plugin and the member; its
// errors are recognised without instanceof (it may bundle its own copy of tsnas); in a bench, a
// strategy that throws in tell() fails its own run only.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_NASFPN_CONFIG, isNasFpnSpace, NasFpnSpace } from '../../src/spaces/nasfpn/space.js';
import { NasBench201Space } from '../../src/spaces/nasbench201/space.js';
import { tsnas } from '../helpers/cli.js';
import { FAULT_PLUGIN } from '../helpers/fault-plugin.js';
import { writeSyntheticTable } from '../helpers/nb201-fixture.js';
import { pluginProject, strategyPlugin } from '../helpers/plugin-project.js';
import { tempDir } from '../helpers/run.js';

const pkg = (name: string, index: string) => ({ [name]: { 'package.json': JSON.stringify({ name, type: 'module', main: 'index.js' }), 'index.js': index } });

/** Runs a toy search with the strategy of package `name` in a project holding it. */
function toyWith(name: string, index: string) {
  const project = pluginProject(pkg(name, index));
  return tsnas(['search', '--plugin', FAULT_PLUGIN, '--plugin', name, '--space', 'toy', '--space-opt', 'cells=6', '--evaluator', 'faulty', '--strategy', 's', '--evaluations', '3', '--memory', '--quiet'], { cwd: project });
}

const oneLine = (err: string) => err.trim().split('\n');

describe('plugin contracts', () => {
  it('a strategy with propose/feedback instead of ask/tell', () => {
    const r = toyWith('tsnas-pyglove-style', strategyPlugin('s', '({ propose: () => [], feedback: () => {}, state: () => null, restore: () => {} })'));
    assert.equal(r.code, 2, r.err);
    assert.deepEqual(oneLine(r.err), ["tsnas: plugin 'tsnas-pyglove-style': strategy 's': the object create() returns has no ask(), tell() methods (needs ask, tell, state, restore; it has propose, feedback)"]);
  });

  it('a strategy factory whose create() returns nothing', () => {
    const r = toyWith('tsnas-empty', strategyPlugin('s', 'undefined'));
    assert.equal(r.code, 2, r.err);
    assert.deepEqual(oneLine(r.err), ["tsnas: plugin 'tsnas-empty': strategy 's': create() returned undefined, not an object"]);
  });

  it('an evaluator without evaluate()', () => {
    const index = `export function register(r) { r.evaluators.add({ name: 'e', description: '', options: {}, create: () => ({ metrics: ['x'], primaryMetric: 'x', run() {} }) }); }`;
    const project = pluginProject(pkg('tsnas-eval', index));
    const r = tsnas(['search', '--plugin', FAULT_PLUGIN, '--plugin', 'tsnas-eval', '--space', 'toy', '--space-opt', 'cells=6', '--evaluator', 'e', '--strategy', 'random', '--memory', '--quiet'], { cwd: project });
    assert.equal(r.code, 2, r.err);
    assert.deepEqual(oneLine(r.err), ["tsnas: plugin 'tsnas-eval': evaluator 'e': the object create() returns has no evaluate() method (needs evaluate; it has run)"]);
  });

  for (const [copy, klass] of [
    ['a copy with the brand', `class ConfigError extends Error { constructor(f, d) { super('invalid config: ' + f + ': ' + d); this.name = 'ConfigError'; } }
Object.defineProperty(ConfigError.prototype, Symbol.for('tsnas.error'), { value: true });`],
    ['an older copy (by class name)', `class ConfigError extends Error { constructor(f, d) { super('invalid config: ' + f + ': ' + d); this.name = 'ConfigError'; } }`],
  ] as const) {
    it(`a ConfigError of ${copy} of tsnas is a usage error, not an unexpected one`, () => {
      const index = strategyPlugin('s', `(() => { throw new ConfigError('strategy.arms', 'must be at least 2'); })()`) + klass;
      const r = toyWith('tsnas-bundled', index);
      assert.equal(r.code, 2, r.err);
      assert.deepEqual(oneLine(r.err), ['tsnas: invalid config: strategy.arms: must be at least 2']);
    });
  }

  it('detection-proxy takes a NAS-FPN space of another copy of tsnas', () => {
    const space = new NasFpnSpace(DEFAULT_NASFPN_CONFIG);
    const foreign = { id: space.id, length: space.length, validate: (g: unknown) => g, config: { ...space.config } };
    assert.equal(isNasFpnSpace(foreign), true);
    assert.equal(isNasFpnSpace(new NasBench201Space()), false);
    assert.equal(isNasFpnSpace({ id: 'nasfpn' }), false);
  });

  it('bench: a strategy whose tell() throws fails that run, the others are written', () => {
    const tell = `({ ask: (n) => Array.from({ length: n }, () => ({ choices: sampleChoices(space, rng) })),
      tell: (f) => { if (seed === 1 && f.trial === 2) throw new Error('boom at trial ' + f.trial); }, state: () => null, restore: () => {} })`;
    const project = pluginProject(pkg('tsnas-flaky', strategyPlugin('flaky', tell)));
    const out = tempDir();
    const r = tsnas(['bench', '--plugin', 'tsnas-flaky', '--strategies', 'flaky,random', '--seeds', '3', '--evaluations', '10', '--evaluator-opt', `path=${writeSyntheticTable()}`, '--out', out, '--quiet'], { cwd: project });
    assert.equal(r.code, 2, r.err);
    assert.deepEqual(oneLine(r.err), ['tsnas: bench: flaky seed 1 failed: boom at trial 2']);
    const json = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8')) as { runs: { label: string }[]; failures: unknown[]; summaries: { label: string; atCheckpoints: { n: number }[] }[] };
    assert.deepEqual(json.failures, [{ label: 'flaky', seed: 1, error: 'boom at trial 2' }]);
    assert.equal(json.runs.length, 5);
    assert.deepEqual(json.summaries.map((s) => [s.label, s.atCheckpoints[0]?.n]), [['flaky', 2], ['random', 3]]);
    assert.match(readFileSync(join(out, 'bench.md'), 'utf8'), /1 run failed \(left out above\):\n- flaky seed 1: boom at trial 2/);
    const pairs = (JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8')) as { pairwise: { p: number; pHolm: number }[] }).pairwise;
    assert.equal(pairs.length, 1);
    assert.equal(pairs[0]?.pHolm, pairs[0]?.p, 'one pair: nothing to adjust');
    assert.match(readFileSync(join(out, 'bench.md'), 'utf8'), /\| pair \(final\) \| mean difference \| Welch p \| Holm-adjusted p \|/);
    const md = readFileSync(join(out, 'bench.md'), 'utf8');
    assert.match(md, /\| strategy \| final \(10 evals\) \| median \[Q1, Q3\] \|/);
    const random = (JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8')) as { runs: { label: string; atCheckpoints: number[] }[]; summaries: { label: string; final: { median: number } }[] });
    const finals = random.runs.filter((x) => x.label === 'random').map((x) => x.atCheckpoints.at(-1) as number).sort((a, b) => a - b);
    assert.equal(random.summaries.find((x) => x.label === 'random')?.final.median, finals[1]);
    const traced = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8')) as { runs: { atCheckpoints: number[]; trace: number[] }[] };
    for (const run of traced.runs) {
      assert.equal(run.trace.length, 10, 'one best-so-far per evaluation');
      assert.equal(run.trace.at(-1), run.atCheckpoints.at(-1));
    }
  });
});
