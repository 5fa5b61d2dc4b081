import { tsnas } from './cli.js';

/** Evaluator options of a NAS-FPN child that trains in about a second (the numbers mean nothing). */
export const TINY_DETECTION = ['steps=10', 'minSteps=5', 'trainImages=32', 'valImages=8', 'testImages=8', 'warmupSteps=2'];

/** Runs and stores a real NAS-FPN search of `evaluations` children on the tiny task; throws when it fails. */
export function tinyNasFpnSearch(runs: string, name: string, evaluations: number, extra: readonly string[] = []): void {
  const opts = TINY_DETECTION.flatMap((o) => ['--evaluator-opt', o]);
  // Inline: one-second children gain nothing from worker start-up, and the trial order stays fixed.
  const r = tsnas(['search', '--space', 'nasfpn', '--evaluator', 'detection-proxy', ...opts, '--strategy', 'random', '--executor', 'inline', '--evaluations', String(evaluations), '--runs-dir', runs, '--name', name, '--quiet', ...extra]);
  if (r.code !== 0) throw new Error(`tiny search failed (${r.code}): ${r.err}`);
}
