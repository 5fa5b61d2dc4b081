// `tsnas search --name X --resume` alone continues X with its stored config, plugins and options; flags
// may extend the budget, and a flag that would make it another experiment is refused by name.
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { countsAsEvaluation } from '../../src/core/trial.js';
import { killWhen, storedTrials, toySearch, tsnas } from '../helpers/cli.js';
import { tempDir } from '../helpers/run.js';

describe('resume by name', () => {
  it('--name X --resume alone completes the stored budget from another folder', async () => {
    const runs = tempDir();
    const args = toySearch(runs, 'x', 150, 8, ['--strategy', 'evolution', '--strategy-opt', 'population=4', '--seed', '5']);
    const file = join(runs, 'x.sqlite');
    const killed = await killWhen(args, file, (t) => t.filter((x) => x.status === 'complete').length >= 2);
    assert.equal(killed.signal, 'SIGKILL');
    const alone = ['search', '--name', 'x', '--runs-dir', runs, '--resume'];
    const resumed = tsnas([...alone, '--quiet'], { cwd: tmpdir() });
    assert.equal(resumed.code, 0, resumed.err);
    assert.match(resumed.out, /^8 evaluations/m);
    assert.equal((storedTrials(file) ?? []).filter(countsAsEvaluation).length, 8);

    const extended = tsnas([...alone, '--evaluations', '10', '--quiet'], { cwd: tmpdir() });
    assert.equal(extended.code, 0, extended.err);
    assert.match(extended.out, /^10 evaluations/m);

    for (const [flags, named] of [[['--seed', '6'], '--seed'], [['--strategy-opt', 'population=5'], '--strategy-opt'], [['--space', 'nasbench201'], '--space']] as const) {
      const r = tsnas([...alone, ...flags, '--quiet'], { cwd: tmpdir() });
      assert.equal(r.code, 2, r.err);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
      assert.match(r.err, new RegExp(`experiment 'x' was run with another config: ${named} would change its`));
    }
    const same = tsnas([...alone, '--seed', '5', '--evaluations', '10', '--quiet'], { cwd: tmpdir() });
    assert.equal(same.code, 0, `a flag repeating the stored value is accepted: ${same.err}`);
  });
});
