/**
 * What a stored search returned and how it got there, read from its store after the fact (also for
 * resumed and unfinished searches): its summary, its returned genotype (the top-k re-evaluation's
 * best, else the best trial) and its best-so-far curve.
 */
import type { Executor } from '../../src/core/executor.js';
import type { RungRecord, TrialRecord } from '../../src/core/trial.js';
import { bestTrial } from '../../src/engine/best-trial.js';
import type { RunConfig } from '../../src/engine/config.js';
import { reevaluateTop, topCandidates, type ReevaluatedCandidate } from '../../src/engine/reevaluate.js';
import { RewardExpression } from '../../src/engine/reward.js';
import type { RunsFolder } from '../../src/store/runs-folder.js';
import type { SearchSessions } from './search-sessions.js';

export interface CurvePoint {
  /** Trials started (the budget's count) before the rung finished. */
  readonly evaluations: number;
  /** Rungs finished so far. */
  readonly rungs: number;
  readonly seconds: number;
  readonly trial: number;
  readonly resource: number | null;
  readonly bestTrial: number | null;
  readonly bestResource: number | null;
  readonly bestReward: number | null;
}

export interface Returned<G> {
  readonly trial: number;
  readonly key: string;
  readonly genotype: G;
  readonly resource: number | null;
  readonly searchReward: number;
  /** What picked it: the top-k re-evaluation's best mean, or the best trial (no or unfinished top-k). */
  readonly by: 'top-k' | 'best trial';
}

export interface SearchSummary<G> {
  readonly strategy: string;
  readonly experiment: string;
  /** The stored run config. */
  readonly config: RunConfig;
  readonly finished: boolean;
  readonly evaluations: number;
  readonly budget: number | null;
  readonly trials: number;
  readonly cached: number;
  readonly failed: number;
  /** The engine's search time (the checkpoint's elapsed time, all sessions). */
  readonly searchSeconds: number;
  /** The sessions' wall time, top-k re-evaluation included. */
  readonly wallSeconds: number;
  readonly topKSeeds: number;
  readonly topK: readonly ReevaluatedCandidate[];
  readonly returned: Returned<G> | null;
  readonly curve: readonly CurvePoint[];
}

/** The evaluator's metrics as a search benchmark reads them. */
export interface SearchMetrics {
  /** Every metric the evaluator reports (what a reward expression may name). */
  readonly names: readonly string[];
  /** The reward when the config names none (the evaluator's primary metric). */
  readonly reward: string;
  /** The metric reported beside the reward (on the test split). */
  readonly report: string;
}

/** The best-trial rule replayed over the finished rungs (or, without a scheduler, the finished trials) in the order they finished. */
export function bestSoFar(trials: readonly TrialRecord[], rungs: readonly RungRecord[], clock: (t: number) => number): CurvePoint[] {
  const starts = trials.filter((t) => t.status !== 'cached').map((t) => t.startedAt).sort((a, b) => a - b);
  const finished = rungs.length
    ? rungs.map((r) => ({ trial: r.trial, resource: r.resource as number | undefined, reward: r.reward, failed: r.error !== null, at: r.finishedAt }))
    : trials
        .filter((t) => t.finishedAt !== null && (t.status === 'complete' || t.status === 'failed'))
        .map((t) => ({ trial: t.number, resource: t.resource, reward: t.reward, failed: t.status === 'failed', at: t.finishedAt as number }));
  finished.sort((a, b) => a.at - b.at || a.trial - b.trial || (a.resource ?? 0) - (b.resource ?? 0));
  const latest = new Map<number, TrialRecord>();
  const points: CurvePoint[] = [];
  let started = 0;
  for (const e of finished) {
    // Only the fields the best-trial rule reads: a failed rung fails its trial.
    latest.set(e.trial, { number: e.trial, status: e.failed ? 'failed' : 'complete', reward: e.reward, ...(e.resource !== undefined ? { resource: e.resource } : {}) } as TrialRecord);
    while (started < starts.length && (starts[started] as number) < e.at) started++;
    const best = bestTrial(latest.values());
    points.push({ evaluations: started, rungs: points.length + 1, seconds: clock(e.at), trial: e.trial, resource: e.resource ?? null, bestTrial: best?.number ?? null, bestResource: best?.resource ?? null, bestReward: best?.reward ?? null });
  }
  return points;
}

/** The curve as CSV (OUT/curve-<strategy>.csv). */
export function curveCsv(curve: readonly CurvePoint[]): string {
  const rows = curve.map((p) => [p.evaluations, p.rungs, p.seconds.toFixed(1), p.trial, p.resource ?? '', p.bestTrial ?? '', p.bestResource ?? '', p.bestReward ?? ''].join(','));
  return ['evaluations,rungs,seconds,trial,resource,best_trial,best_resource,best_reward', ...rows].join('\n') + '\n';
}

/** Runs nothing: the summary reads the top-k re-evaluation's stored runs (reevaluateTop with an aborted signal starts none). */
const NO_RUNS: Executor = { capacity: 1, run: () => Promise.reject(new Error('the report runs nothing')), close: async () => undefined };

/** Experiment `name` of `folder` summarized, or null when it is not there. */
export async function readSearch<G>(folder: RunsFolder, sessions: SearchSessions, metrics: SearchMetrics, strategy: string, name: string): Promise<SearchSummary<G> | null> {
  if (!folder.exists(name)) return null;
  const store = folder.read(name);
  try {
    const config = store.meta()?.config as unknown as RunConfig;
    const trials = store.trials();
    const rungs = store.rungs();
    const ck = store.checkpoint();
    const evaluations = trials.filter((t) => t.status !== 'cached').length;
    const rk = config.reevaluate;
    const topK = rk
      ? await reevaluateTop(topCandidates(trials, rk.top), rk, {
          executor: NO_RUNS,
          reward: new RewardExpression(config.reward ?? metrics.reward, metrics.names),
          reportMetric: metrics.report,
          experimentSeed: config.seed,
          log: { reevaluations: () => store.reevaluations(), putReevaluation: () => undefined },
          signal: AbortSignal.abort(),
        })
      : [];
    const budget = config.budget.evaluations ?? null;
    const topKDone = topK.length > 0 && topK.every((c) => c.runs.length === rk?.seeds) && Number.isFinite(topK[0]?.reward.mean);
    const searchDone = (budget === null || evaluations >= budget) && !ck?.running?.length && !trials.some((t) => t.status === 'running');
    const best = bestTrial(trials);
    const pick = topKDone ? trials.find((t) => t.number === topK[0]?.trial) : best;
    const returned: Returned<G> | null = pick
      ? { trial: pick.number, key: pick.key, genotype: pick.genotype as unknown as G, resource: pick.resource ?? null, searchReward: pick.reward as number, by: topKDone ? 'top-k' : 'best trial' }
      : null;
    const events = [...trials.flatMap((t) => [t.startedAt, t.finishedAt ?? t.startedAt]), ...rungs.map((r) => r.finishedAt), ...store.reevaluations().map((r) => r.finishedAt)];
    const clock = sessions.clock(name, store.meta()?.createdAt ?? Math.min(...events), events);
    return {
      strategy,
      experiment: name,
      config,
      finished: searchDone && (!rk || topKDone),
      evaluations,
      budget,
      trials: trials.length,
      cached: trials.filter((t) => t.status === 'cached').length,
      failed: trials.filter((t) => t.status === 'failed').length,
      searchSeconds: (ck?.elapsedMs ?? 0) / 1000,
      wallSeconds: clock.wall,
      topKSeeds: rk?.seeds ?? 0,
      topK,
      returned,
      curve: bestSoFar(trials, rungs, clock.search),
    };
  } finally {
    store.close();
  }
}
