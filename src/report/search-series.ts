import type { TrialRecord } from '../core/trial.js';
import { byFidelityThenReward, countsForBest } from '../engine/best-trial.js';

/** One trial as a point of the progress plots. */
export interface ProgressPoint {
  readonly trial: number;
  /** Evaluations so far, this one included (cached duplicates cost none). */
  readonly evaluation: number;
  /** Seconds from the search's first start to this trial's end. */
  readonly seconds: number;
  /** The trial's reward (at its highest rung); failed trials sit at the lowest reward seen, marked. */
  readonly reward: number;
  readonly status: string;
  /** The best-trial rule's reward after this trial (higher fidelity first, then reward). */
  readonly best: number | null;
  /** The same rule over the trials finished by this one's end (what the wall-time plot follows). */
  readonly bestByTime: number | null;
  readonly resource: number | null;
  readonly key: string;
  readonly error: string | null;
}

/** The search's progress, in trial order: each finished trial as a point, with the best so far. */
export function progressSeries(trials: readonly TrialRecord[]): ProgressPoint[] {
  const finished = trials.filter((t) => t.finishedAt !== null && t.status !== 'running');
  const start = Math.min(...trials.map((t) => t.startedAt));
  const rewards = finished.map((t) => t.reward).filter((r): r is number => r !== null);
  const floor = rewards.length > 0 ? Math.min(...rewards) : 0;
  let best: TrialRecord | null = null;
  let evaluation = 0;
  const byEnd = [...finished].sort((a, b) => (a.finishedAt as number) - (b.finishedAt as number) || a.number - b.number);
  const bestAtEnd = new Map<number, number | null>();
  // Wall-time order decides the best so far at each moment; the evaluation axis uses trial order.
  for (const t of byEnd) {
    if (countsForBest(t) && (best === null || byFidelityThenReward(t, best) < 0)) best = t;
    bestAtEnd.set(t.number, best?.reward ?? null);
  }
  best = null;
  return finished
    .sort((a, b) => a.number - b.number)
    .map((t) => {
      if (t.status !== 'cached') evaluation++;
      if (countsForBest(t) && (best === null || byFidelityThenReward(t, best) < 0)) best = t;
      return {
        trial: t.number,
        evaluation,
        seconds: ((t.finishedAt as number) - start) / 1000,
        reward: t.reward ?? floor,
        status: t.status === 'stopped' ? 'stopped (pruned)' : t.status,
        best: (best as TrialRecord | null)?.reward ?? null,
        bestByTime: bestAtEnd.get(t.number) ?? null,
        resource: t.resource ?? null,
        key: t.key,
        error: t.error,
      };
    });
}

/** Points on the Pareto front of reward (higher) against a cost (lower): no other point is at least as good on both and better on one. */
export function paretoFront<T>(points: readonly T[], cost: (p: T) => number, reward: (p: T) => number): T[] {
  const sorted = [...points].sort((a, b) => cost(a) - cost(b) || reward(b) - reward(a));
  const front: T[] = [];
  let bestReward = -Infinity;
  for (const p of sorted) {
    if (reward(p) > bestReward) {
      front.push(p);
      bestReward = reward(p);
    }
  }
  return front;
}
