import { tsnas } from './cli.js';

/** Evaluator options of a NASNet child on MNIST that trains in about a second (the numbers mean nothing). */
export const TINY_CLASSIFICATION = ['steps=10', 'minSteps=5', 'filters=4', 'trainImages=64', 'batchSize=16', 'valImages=50', 'testImages=50', 'warmupSteps=2'];

/** Runs and stores a real one-child NASNet search on MNIST (2-block cells of quick ops); throws when it fails. */
export function tinyNasNetSearch(runs: string, name: string, extra: readonly string[] = []): void {
  const opts = TINY_CLASSIFICATION.flatMap((o) => ['--evaluator-opt', o]);
  // Inline, as the tiny NAS-FPN searches: a one-second child gains nothing from worker start-up.
  const r = tsnas(['search', '--space', 'nasnet', '--space-opt', 'blocks=2', '--space-opt', 'ops=conv3x3,identity,avg_pool3x3', '--evaluator', 'classification-proxy', ...opts, '--strategy', 'random', '--executor', 'inline', '--evaluations', '1', '--runs-dir', runs, '--name', name, '--quiet', ...extra]);
  if (r.code !== 0) throw new Error(`tiny nasnet search failed (${r.code}): ${r.err}`);
}
