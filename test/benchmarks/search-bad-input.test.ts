// The search benchmarks refuse bad input as the CLI does: one line naming the problem, exit code 2,
// before any search starts (no stack trace, nothing written).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DIST } from '../helpers/module-trace.js';

const cwd = mkdtempSync(join(tmpdir(), 'tsnas-bench-bad-'));
const run = (name: string, args: string[]) => spawnSync(process.execPath, [join(DIST, 'benchmarks', `${name}.js`), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });

const CASES: [benchmark: string, what: string, args: string[], line: RegExp][] = [
  ['nasfpn-search', 'an unknown strategy', ['--strategies', 'random,nope'], /^nasfpn-search: unknown strategy 'nope'; known: .*random/],
  ['nasfpn-search', 'no strategy', ['--strategies', ','], /^nasfpn-search: invalid config: --strategies: name at least one strategy$/],
  ['nasfpn-search', '--strategy-opt for a strategy not listed', ['--strategy-opt', 'hybrid.population=12'], /^nasfpn-search: invalid config: --strategy-opt: expected <label>\.<key>=<value> with a label of --strategies \(evolution, random, ppo\), got 'hybrid\.population=12'$/],
  ['nasfpn-search', 'a bad strategy option value', ['--strategy-opt', 'evolution.population=0'], /^nasfpn-search: invalid config: evolution\.population: must be >= 1/],
  ['nasfpn-search', 'an unknown preset', ['--preset', 'nope'], /^nasfpn-search: invalid config: --preset: unknown preset 'nope'/],
  ['nasnet-search', 'a bad executor', ['--executor', 'queue'], /^nasnet-search: invalid config: --executor: expected pool or inline, got 'queue'$/],
  ['nasnet-search', 'a lowest rung above the top', ['--steps', '10', '--min-steps', '20'], /^nasnet-search: invalid config: --min-steps: must be <= --steps \(10\), got 20$/],
  ['nasnet-search', 'an unknown strategy', ['--strategies', 'random,nope'], /^nasnet-search: unknown strategy 'nope'/],
];

describe('search benchmarks: bad input', () => {
  after(() => rmSync(cwd, { recursive: true, force: true }));

  for (const [benchmark, what, args, line] of CASES) {
    it(`${benchmark}: ${what} exits 2 with one line naming it`, () => {
      const r = run(benchmark, [...args, '--runs-dir', join(cwd, 'runs'), '--out', join(cwd, 'out')]);
      assert.equal(r.status, 2, r.stderr);
      const lines = r.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0] as string, line);
      assert.deepEqual(readdirSync(cwd), [], 'nothing written');
    });
  }
});
