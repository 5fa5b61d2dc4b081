import type { ExperimentStore } from '../core/store.js';
import type { ReevaluationRecord, TrialRecord } from '../core/trial.js';
import { byFidelityThenReward, countsForBest } from './best-trial.js';
import { meanStd } from './reevaluate.js';

/** Per re-evaluated candidate: runs, mean ± std of the reward and of every metric, best mean reward first. */
export function reevaluationSummary(records: readonly ReevaluationRecord[], keyOf: (trial: number) => string) {
  const byTrial = new Map<number, ReevaluationRecord[]>();
  for (const r of records) byTrial.set(r.trial, [...(byTrial.get(r.trial) ?? []), r]);
  return [...byTrial.entries()]
    .map(([trial, runs]) => {
      const ok = runs.filter((r) => r.reward !== null && r.metrics !== null);
      const names = [...new Set(ok.flatMap((r) => Object.keys(r.metrics ?? {})))];
      return {
        trial,
        key: keyOf(trial),
        runs: runs.length,
        failed: runs.length - ok.length,
        reward: meanStd(ok.map((r) => r.reward as number)),
        metrics: Object.fromEntries(names.map((m) => [m, meanStd(ok.map((r) => r.metrics?.[m] as number))])),
      };
    })
    .sort((a, b) => (Number.isNaN(b.reward.mean) ? -1 : b.reward.mean - a.reward.mean));
}

export type ReevaluationSummary = ReturnType<typeof reevaluationSummary>[number];

/** A stored experiment read once: trials ranked by the best-trial rule, and what the search returned. */
export interface ExperimentSummary {
  readonly trials: TrialRecord[];
  readonly multiFidelity: boolean;
  /** Trials that count for best, best first. */
  readonly ranked: TrialRecord[];
  readonly reevaluated: ReevaluationSummary[];
  /** The search's answer: the best mean of the top-k re-evaluation where it ran, else the best trial. */
  readonly returned: { readonly trial: number; readonly via: 'top-k' | 'best' } | null;
}

export function summarize(store: ExperimentStore): ExperimentSummary {
  const trials = store.trials();
  // Multi-fidelity experiments rank by the best-trial rule (highest rung first), others as complete trials by reward.
  const multiFidelity = trials.some((t) => t.resource !== undefined);
  const ranked = trials.filter((t) => (multiFidelity ? countsForBest(t) : t.status === 'complete' && t.reward !== null)).sort(byFidelityThenReward);
  const reevaluated = reevaluationSummary(store.reevaluations(), (n) => trials.find((t) => t.number === n)?.key ?? '?');
  const top = reevaluated.find((c) => c.runs > c.failed);
  const returned = top ? { trial: top.trial, via: 'top-k' as const } : ranked[0] ? { trial: ranked[0].number, via: 'best' as const } : null;
  return { trials, multiFidelity, ranked, reevaluated, returned };
}
