// Plugins named in a --config file load in the main thread and the pool's workers; an experiment
// stores them with absolute paths and a resume (from any folder) loads them again without --plugin.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { tsnas } from '../helpers/cli.js';
import { FAULT_PLUGIN } from '../helpers/fault-plugin.js';
import { tempDir } from '../helpers/run.js';

function configFile(executor: unknown): string {
  const file = join(tempDir(), 'run.json');
  writeFileSync(file, JSON.stringify({
    space: { name: 'toy', options: { cells: 6 } },
    strategy: 'random',
    evaluator: 'faulty',
    budget: { evaluations: 3 },
    executor,
    plugins: [relative(process.cwd(), FAULT_PLUGIN)],
  }));
  return file;
}

describe('plugins of a run', () => {
  for (const executor of ['inline', { name: 'pool', options: { workers: 1 } }]) {
    it(`loads the plugins a --config file names (${typeof executor === 'string' ? executor : 'pool'})`, () => {
      const runs = tempDir();
      const r = tsnas(['search', '--config', configFile(executor), '--runs-dir', runs, '--name', 'p', '--quiet']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /3 evaluations/);
      const shown = JSON.parse(tsnas(['show', 'p', '--runs-dir', runs, '--json']).out) as { meta: { config: { plugins: string[] } } };
      assert.deepEqual(shown.meta.config.plugins, [FAULT_PLUGIN], 'stored with an absolute path');
    });
  }

  it('resumes from another folder without --plugin, loading the stored plugins', () => {
    const runs = tempDir();
    const args = ['search', '--space', 'toy', '--space-opt', 'cells=6', '--evaluator', 'faulty', '--strategy', 'random', '--runs-dir', runs, '--name', 'r', '--quiet'];
    const first = tsnas([...args, '--plugin', relative(process.cwd(), FAULT_PLUGIN), '--evaluations', '3']);
    assert.equal(first.code, 0, first.err);
    const resumed = tsnas([...args, '--evaluations', '5', '--resume'], { cwd: tmpdir() });
    assert.equal(resumed.code, 0, resumed.err);
    assert.match(resumed.out, /5 evaluations, 5 trials/);
  });
});
