import type { JsonValue } from '../core/json.js';
import type { SearchSpace } from '../core/space.js';
import type { ExperimentMeta, ExperimentStore } from '../core/store.js';
import type { RungRecord } from '../core/trial.js';
import { drawerFor, type Drawing } from './draw/drawers.js';
import { summarize, type ExperimentSummary } from '../engine/experiment-summary.js';
import { paretoFront, progressSeries, type ProgressPoint } from './search-series.js';
import { trialRow, type TrialRow } from './trial-rows.js';

/** Costs the reward is plotted against, where the evaluator reports them. */
const COSTS = ['flops', 'params', 'trainSeconds', 'neckFlops'];

export interface CostPoint {
  readonly trial: number;
  readonly metric: string;
  readonly cost: number;
  readonly reward: number;
  readonly pareto: boolean;
  readonly key: string;
  readonly resource: number | null;
  readonly atTop: boolean;
  /** Pareto front, top fidelity, or stopped lower (the colour). */
  readonly group: string;
}

/** Everything the experiment report shows, as plain data (embedded in the page as JSON). */
export interface ExperimentReport {
  readonly experiment: string;
  readonly createdAt: string;
  readonly config: JsonValue;
  readonly counts: Record<string, number>;
  readonly returned: ExperimentSummary['returned'];
  readonly best: number | null;
  readonly reevaluated: ExperimentSummary['reevaluated'];
  readonly progress: ProgressPoint[];
  readonly costMetrics: string[];
  readonly cost: CostPoint[];
  readonly rungs: (Pick<RungRecord, 'trial' | 'resource' | 'reward'> & { top: number })[];
  readonly rows: TrialRow[];
  /** Drawings by architecture key; the rows name theirs by `key`. */
  readonly drawings: Record<string, Drawing>;
}

function costPoints(summary: ExperimentSummary): { metrics: string[]; points: CostPoint[] } {
  // Rewards are comparable at one fidelity only (the best-trial rule): the front is drawn among the
  // trials at the highest one reached; trials stopped lower are shown, faded.
  const top = summary.ranked[0]?.resource;
  const counted = summary.ranked.filter((t) => t.metrics);
  const metrics = COSTS.filter((m) => counted.some((t) => Number.isFinite(t.metrics?.[m])));
  const points = metrics.flatMap((metric) => {
    const pts = counted
      .filter((t) => Number.isFinite(t.metrics?.[metric]))
      .map((t) => ({ trial: t.number, metric, cost: t.metrics![metric] as number, reward: t.reward as number, key: t.key, resource: t.resource ?? null, atTop: t.resource === top }));
    const front = new Set(paretoFront(pts.filter((p) => p.atTop), (p) => p.cost, (p) => p.reward));
    return pts.map((p) => ({ ...p, pareto: front.has(p), group: front.has(p) ? 'Pareto front' : p.atTop ? 'top fidelity' : 'stopped lower' }));
  });
  return { metrics, points };
}

export function experimentReport(store: ExperimentStore, meta: ExperimentMeta, space: SearchSpace | undefined): ExperimentReport {
  const summary = summarize(store);
  const { trials } = summary;
  const statuses = ['complete', 'stopped', 'cached', 'failed', 'running'];
  const counts = Object.fromEntries(statuses.map((s) => [s, trials.filter((t) => t.status === s).length]).filter(([, n]) => n !== 0));
  const cost = costPoints(summary);
  const rungs = store.rungs().filter((r) => r.reward !== null);
  const topOf = new Map<number, number>();
  for (const r of rungs) topOf.set(r.trial, Math.max(topOf.get(r.trial) ?? 0, r.resource));
  const config = meta.config as { space?: { name?: string; options?: Record<string, JsonValue> } };
  const drawer = config.space?.name ? drawerFor(config.space.name) : undefined;
  const drawings: Record<string, Drawing> = {};
  for (const t of trials) {
    if (!drawer || t.key in drawings) continue;
    try {
      drawings[t.key] = drawer(t.genotype, config.space?.options ?? {});
    } catch {
      // A genotype the space refuses (an older store): listed, not drawn.
    }
  }
  return {
    experiment: meta.name,
    createdAt: new Date(meta.createdAt).toISOString(),
    config: meta.config,
    counts,
    returned: summary.returned,
    best: summary.ranked[0]?.number ?? null,
    reevaluated: summary.reevaluated,
    progress: progressSeries(trials),
    costMetrics: cost.metrics,
    cost: cost.points,
    rungs: rungs.map((r) => ({ trial: r.trial, resource: r.resource, reward: r.reward, top: topOf.get(r.trial) as number })),
    rows: trials.map((t) => trialRow(t, space)),
    drawings,
  };
}
