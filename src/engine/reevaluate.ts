import { describeError } from '../core/describe-error.js';
import { ExecutorError } from '../core/errors.js';
import type { Metrics } from '../core/evaluator.js';
import type { Executor } from '../core/executor.js';
import { deriveSeed } from '../core/rng.js';
import type { ReevaluationRecord, TrialRecord } from '../core/trial.js';
import type { RewardExpression } from './reward.js';
import { summarize } from '../stats/summary.js';
import { byFidelityThenReward, countsForBest } from './best-trial.js';
import { checkMetrics } from './check-metrics.js';

/** Top-k re-evaluation: how many of the best children, retrained over how many seeds. */
export interface ReevaluationConfig {
  readonly top: number;
  readonly seeds: number;
}

/** Where re-evaluations are kept (the experiment store), so a resumed search does not run them twice. */
export interface ReevaluationLog {
  reevaluations(): ReevaluationRecord[];
  putReevaluation(record: ReevaluationRecord): void;
}

/** One candidate's re-evaluation: its runs and their mean ± std. */
export interface ReevaluatedCandidate {
  readonly trial: number;
  readonly key: string;
  /** Its reward in the search (at the highest fidelity it reached). */
  readonly searchReward: number;
  readonly runs: readonly ReevaluationRecord[];
  readonly reward: { readonly mean: number; readonly std: number };
  /** The evaluator's report metric (e.g. test AP) over the same runs. */
  readonly report: { readonly mean: number; readonly std: number };
}

/** Seeds of the re-evaluation runs: the same for every candidate (a paired comparison), apart from the search's. */
export const reevaluationSeed = (experimentSeed: number, i: number): number => deriveSeed(experimentSeed, 1_000_000 + i);

/**
 * The k best distinct children by the best-trial rule (the highest fidelity reached, then reward), so a
 * child stopped at a cheap rung never outranks one trained to the top. Ties keep the earlier trial.
 */
export function topCandidates(trials: readonly TrialRecord[], k: number): TrialRecord[] {
  const scored = trials.filter(countsForBest).sort(byFidelityThenReward);
  const seen = new Set<string>();
  const out: TrialRecord[] = [];
  for (const t of scored) {
    if (seen.has(t.key)) continue;
    seen.add(t.key);
    out.push(t);
    if (out.length === k) break;
  }
  return out;
}

/** Mean and sample std of re-evaluation runs (show and the search report both use it). */
export const meanStd = (xs: number[]): { mean: number; std: number } => {
  const s = summarize(xs);
  return { mean: s.mean, std: s.std };
};

/**
 * Retrains each candidate at the top fidelity (a plain evaluation: no fidelity request, no saved state)
 * with `seeds` fresh seeds, through the executor (as many at once as it has capacity). Runs already in
 * the log are not repeated. Returns the candidates by mean reward, best first: the search returns the
 * first, as the NAS-FPN paper retrained its top architectures before picking one.
 */
export async function reevaluateTop(
  candidates: readonly TrialRecord[],
  config: ReevaluationConfig,
  o: { readonly executor: Executor; readonly reward: RewardExpression; readonly reportMetric: string; readonly experimentSeed: number; readonly log: ReevaluationLog; readonly signal?: AbortSignal },
): Promise<ReevaluatedCandidate[]> {
  const done = new Map(o.log.reevaluations().map((r) => [`${r.trial}|${r.seed}`, r]));
  const work: { trial: TrialRecord; seed: number }[] = [];
  for (const t of candidates) {
    for (let i = 0; i < config.seeds; i++) {
      const seed = reevaluationSeed(o.experimentSeed, i);
      if (!done.has(`${t.number}|${seed}`)) work.push({ trial: t, seed });
    }
  }
  const run = async ({ trial, seed }: { trial: TrialRecord; seed: number }): Promise<void> => {
    let metrics: Metrics;
    let record: ReevaluationRecord;
    try {
      metrics = checkMetrics(await o.executor.run({ trial: trial.number, genotype: trial.genotype, key: trial.key, seed }));
      record = { trial: trial.number, seed, metrics, reward: o.reward.compute(metrics), error: null, finishedAt: Date.now() };
    } catch (e) {
      if (e instanceof ExecutorError) throw e;
      record = { trial: trial.number, seed, metrics: null, reward: null, error: describeError(e), finishedAt: Date.now() };
    }
    o.log.putReevaluation(record);
    done.set(`${trial.number}|${seed}`, record);
  };
  const queue = work.slice();
  await Promise.all(
    Array.from({ length: Math.max(1, o.executor.capacity) }, async () => {
      // After Ctrl-C no new run starts; the ones done are kept for the resume.
      for (let w = queue.shift(); w && !o.signal?.aborted; w = queue.shift()) await run(w);
    }),
  );
  const result = candidates.map((t): ReevaluatedCandidate => {
    const runs = [...done.values()].filter((r) => r.trial === t.number).sort((a, b) => a.seed - b.seed);
    const ok = runs.filter((r) => r.reward !== null);
    return {
      trial: t.number,
      key: t.key,
      searchReward: t.reward as number,
      runs,
      // A candidate whose every run failed ranks last.
      reward: ok.length ? meanStd(ok.map((r) => r.reward as number)) : { mean: -Infinity, std: NaN },
      report: ok.length ? meanStd(ok.map((r) => r.metrics?.[o.reportMetric] as number)) : { mean: NaN, std: NaN },
    };
  });
  return result.sort((a, b) => b.reward.mean - a.reward.mean || a.trial - b.trial);
}
