import type { TrialRecord } from '../core/trial.js';

/**
 * The best-trial rule: the highest reward among the trials at the highest fidelity any trial reached,
 * since rewards at different fidelities are not comparable (a trial stopped after 1 epoch may score
 * above one trained for 9, on curves that cross). Single-fidelity trials have no `resource` and all
 * count as the top. Earliest on ties; failed and cached trials never count.
 */
export function countsForBest(t: TrialRecord): boolean {
  return t.reward !== null && t.status !== 'failed' && t.status !== 'cached';
}

/** Orders trials that count for best: higher fidelity first, then higher reward, then the earlier trial. */
export function byFidelityThenReward(a: TrialRecord, b: TrialRecord): number {
  const ra = a.resource ?? Infinity;
  const rb = b.resource ?? Infinity;
  if (ra !== rb) return ra > rb ? -1 : 1;
  return (b.reward as number) - (a.reward as number) || a.number - b.number;
}

/** The best trial by that rule, or null when none counts. */
export function bestTrial(trials: Iterable<TrialRecord>): TrialRecord | null {
  let best: TrialRecord | null = null;
  for (const t of trials) if (countsForBest(t) && (best === null || byFidelityThenReward(t, best) < 0)) best = t;
  return best;
}
