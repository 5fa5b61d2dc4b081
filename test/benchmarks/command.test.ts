import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DIST } from '../helpers/module-trace.js';

// Every script in benchmarks/ but the evaluator plugin some of them load.
const BENCHMARKS = readdirSync(join(DIST, 'benchmarks'))
  .filter((f) => f.endsWith('.js') && f !== 'busy-evaluator.js')
  .map((f) => f.slice(0, -'.js'.length));
const cwd = mkdtempSync(join(tmpdir(), 'tsnas-bench-cli-'));
const run = (name: string, args: string[]) => spawnSync(process.execPath, [join(DIST, 'benchmarks', `${name}.js`), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });

describe('benchmark command lines', () => {
  it('finds the benchmarks', () => assert.ok(BENCHMARKS.length >= 10, BENCHMARKS.join(', ')));
  after(() => rmSync(cwd, { recursive: true, force: true }));

  for (const name of BENCHMARKS) {
    it(`${name}: --help prints its usage and writes nothing; a stray argument and a bad number are refused`, () => {
      const help = run(name, ['--help']);
      assert.equal(help.status, 0, help.stderr);
      assert.match(help.stdout, new RegExp(`^Usage: node dist/benchmarks/${name}\\.js \\[options\\]`));
      const stray = run(name, ['out.json']);
      assert.equal(stray.status, 1);
      assert.match(stray.stderr, /too many arguments/);
      assert.deepEqual(readdirSync(cwd), [], 'nothing written');
    });
  }

  it('checks numbers as it parses them', () => {
    const r = run('engine-overhead', ['--repeats', '2x']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /option '--repeats <n>' argument '2x' is invalid\. expected an integer >= 1/);
  });
});
