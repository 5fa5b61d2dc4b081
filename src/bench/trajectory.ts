import type { TrialRecord } from '../core/trial.js';

/**
 * The reported metric (e.g. test accuracy) of the best-by-reward trial after each of the given
 * numbers of evaluations. Cached duplicates cost no evaluation; failures do. A run that ended before
 * a checkpoint reports its final best there.
 */
export function bestSoFarAt(trials: readonly TrialRecord[], checkpoints: readonly number[], reportMetric: string): number[] {
  const sorted = [...checkpoints].sort((a, b) => a - b);
  const out = new Map<number, number>();
  let evaluations = 0;
  let best: TrialRecord | null = null;
  let next = 0;
  const report = () => (best?.metrics?.[reportMetric] ?? NaN) as number;
  for (const t of trials) {
    if (t.status !== 'cached') evaluations++;
    if (t.status === 'complete' && t.reward !== null && (best === null || t.reward > (best.reward as number))) best = t;
    while (next < sorted.length && evaluations >= (sorted[next] as number)) out.set(sorted[next++] as number, report());
  }
  while (next < sorted.length) out.set(sorted[next++] as number, report());
  return checkpoints.map((c) => out.get(c) as number);
}
