// `tsnas train --from X --trial N` evaluates trial N again with the experiment's evaluator options and
// the trial's own seed, and reproduces its stored metrics exactly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tsnas } from '../helpers/cli.js';
import { FAULT_PLUGIN } from '../helpers/fault-plugin.js';
import { pluginProject } from '../helpers/plugin-project.js';
import { tempDir } from '../helpers/run.js';

// A cheap evaluator whose metrics depend on the seed and an option, as a trained network's do.
const SEEDED = `import { Rng } from 'tsnas';
export function register(r) {
  r.evaluators.add({ name: 'seeded', description: 'toy score plus seeded noise', spaces: ['toy'], options: { scale: { type: 'number', default: 1, help: 'noise' } },
    create: (o) => ({ metrics: ['score', 'noise'], primaryMetric: 'score',
      evaluate: async ({ genotype, seed }) => { const rng = Rng.fromSeed(seed); const noise = rng.next() * (o.scale ?? 1); return { score: genotype.reduce((a, b) => a + b, 0) + noise, noise }; } }) });
}`;

interface Retrained { trial: number; seed: number; metrics: Record<string, number>; stored: Record<string, number>; reproduced: boolean }

describe('train --from', () => {
  it('retrains a stored trial with its seed and options, reproducing its metrics exactly', () => {
    const project = pluginProject({ 'tsnas-seeded': { 'package.json': JSON.stringify({ name: 'tsnas-seeded', type: 'module', main: 'index.js' }), 'index.js': SEEDED } });
    const runs = tempDir();
    const search = tsnas(['search', '--plugin', FAULT_PLUGIN, '--plugin', 'tsnas-seeded', '--space', 'toy', '--space-opt', 'cells=6', '--evaluator', 'seeded', '--evaluator-opt', 'scale=0.25',
      '--strategy', 'random', '--seed', '2', '--evaluations', '6', '--runs-dir', runs, '--name', 'x', '--quiet'], { cwd: project });
    assert.equal(search.code, 0, search.err);
    const train = (...more: string[]) => tsnas(['train', '--from', 'x', '--runs-dir', runs, ...more], { cwd: project });
    const seen = new Set<number>();
    for (const n of [0, 4]) {
      const r = train('--trial', String(n), '--json');
      assert.equal(r.code, 0, r.err);
      const out = JSON.parse(r.out) as Retrained;
      assert.equal(out.reproduced, true);
      assert.deepEqual(out.metrics, out.stored);
      assert.ok(out.metrics.noise! <= 0.25, 'the stored scale option applies');
      seen.add(out.metrics.noise!);
    }
    assert.equal(seen.size, 2, 'each trial has its own seed');
    const text = train('--trial', '4');
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^x trial 4 \(seed \d+\): /);
    assert.match(text.out, /reproduces the stored metrics exactly\n$/);
    const overridden = JSON.parse(train('--trial', '4', '--evaluator-opt', 'scale=0', '--json').out) as Retrained;
    assert.equal(overridden.reproduced, false);
    assert.equal(overridden.metrics.noise, 0);

    for (const [more, pattern] of [
      [['--trial', '4', '--seed', '1'], /invalid config: --seed: not with --from/],
      [['--trial', '99'], /invalid config: --trial: experiment 'x' has no trial 99 \(it has 6: 0–5\)/],
      [[], /invalid config: --trial: give the trial number/],
    ] as const) {
      const r = train(...more);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, pattern);
    }
  });
});
