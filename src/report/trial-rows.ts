import { stringify } from 'csv-stringify/sync';
import type { SearchSpace } from '../core/space.js';
import type { TrialRecord } from '../core/trial.js';

/** One trial flattened: what `show --csv` writes and the report's table lists. */
export interface TrialRow {
  readonly trial: number;
  readonly status: string;
  readonly seed: number;
  readonly reward: number | null;
  /** Multi-fidelity: the resource of the highest rung finished. */
  readonly resource: number | null;
  readonly started: string;
  readonly finished: string | null;
  readonly seconds: number | null;
  readonly cachedFrom: number | null;
  readonly error: string | null;
  readonly key: string;
  /** Decision name -> the chosen candidate's label (index when the space could not be built). */
  readonly decisions: Record<string, string>;
  readonly metrics: Record<string, number>;
}

/** Names and labels of a trial's decisions, walked through the space; `d<i>` and the index without one. */
export function decisionsOf(choices: readonly number[], space: SearchSpace | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  choices.forEach((c, i) => {
    let name = `d${i}`;
    let label = String(c);
    try {
      const d = space?.decision(choices.slice(0, i));
      if (d) [name, label] = [d.name, d.labels[c] ?? label];
    } catch {
      // A vector the space no longer accepts: keep the raw indices.
    }
    out[name] = label;
  });
  return out;
}

export function trialRow(t: TrialRecord, space: SearchSpace | undefined): TrialRow {
  return {
    trial: t.number,
    status: t.status,
    seed: t.seed,
    reward: t.reward,
    resource: t.resource ?? null,
    started: new Date(t.startedAt).toISOString(),
    finished: t.finishedAt === null ? null : new Date(t.finishedAt).toISOString(),
    seconds: t.finishedAt === null ? null : (t.finishedAt - t.startedAt) / 1000,
    cachedFrom: t.cachedFrom,
    error: t.error,
    key: t.key,
    decisions: decisionsOf(t.choices, space),
    metrics: { ...(t.metrics ?? {}) },
  };
}

/** One CSV row per trial; one column per decision and per metric (the union over trials, in first-seen order). */
export function trialsCsv(rows: readonly TrialRow[]): string {
  const union = (pick: (r: TrialRow) => Record<string, unknown>) => [...new Set(rows.flatMap((r) => Object.keys(pick(r))))];
  const decisions = union((r) => r.decisions);
  const metrics = union((r) => r.metrics);
  const fixed = ['trial', 'status', 'seed', 'reward', 'resource', 'started', 'finished', 'seconds', 'cachedFrom', 'error', 'key'] as const;
  const header = [...fixed, ...decisions, ...metrics];
  const body = rows.map((r) => [...fixed.map((k) => r[k]), ...decisions.map((d) => r.decisions[d]), ...metrics.map((m) => r.metrics[m])]);
  return stringify([header, ...body], { cast: { number: (n) => String(n) } });
}
