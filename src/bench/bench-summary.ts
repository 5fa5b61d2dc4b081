import { holmAdjust } from '../stats/holm.js';
import { median, quantile, summarize, welchTTest } from '../stats/summary.js';
import type { BenchEntry, BenchEntrySummary, BenchResult } from './tabular-bench.js';

/** What a benchmark's tables are computed from: its config and records (bench.json less the summaries and tests). */
export type BenchRecords = Pick<BenchResult, 'config' | 'reportMetric' | 'optimum' | 'runs' | 'failures' | 'totalMs'>;

/**
 * The benchmark's result at `checkpoints` (default: the config's), from the runs' full traces: each
 * run's value there, mean ± std and median per entry, regret against the optimum, and Welch's test of
 * the final best between every pair, Holm-adjusted. A result can so be re-read at other budgets
 * (the report's curves) or rebuilt from merged shards.
 */
export function summarizeBench(records: BenchRecords, checkpoints: readonly number[] = records.config.checkpoints): BenchResult {
  const config = { ...records.config, checkpoints: [...checkpoints] };
  const runs = records.runs.map((run) => ({ ...run, atCheckpoints: checkpoints.map((c) => run.trace[c - 1] as number) }));
  const { optimum } = records;
  const finals = (label: string) => runs.filter((r) => r.label === label).map((r) => r.atCheckpoints.at(-1) as number);
  const summaries = config.entries.map((entry): BenchEntrySummary => {
    const mine = runs.filter((r) => r.label === entry.label);
    const at = (i: number) => mine.map((r) => r.atCheckpoints[i] as number);
    const [q1, med, q3] = [0.25, 0.5, 0.75].map((q) => quantile(finals(entry.label), q)) as [number, number, number];
    return {
      label: entry.label,
      strategy: entry.strategy,
      atCheckpoints: checkpoints.map((_, i) => summarize(at(i))),
      ...(optimum !== null
        ? {
            regret: checkpoints.map((_, i) => {
              const regret = at(i).map((v) => optimum - v);
              return { ...summarize(regret), median: median(regret) };
            }),
          }
        : {}),
      meanMsPerRun: mine.reduce((s, r) => s + r.ms, 0) / Math.max(1, mine.length),
      final: { median: med, q1, q3 },
    };
  });
  const pairwise: Omit<BenchResult['pairwise'][number], 'pHolm'>[] = [];
  for (let i = 0; i < config.entries.length; i++) {
    for (let j = i + 1; j < config.entries.length; j++) {
      const a = (config.entries[i] as BenchEntry).label;
      const b = (config.entries[j] as BenchEntry).label;
      pairwise.push({ a, b, meanDiff: summarize(finals(a)).mean - summarize(finals(b)).mean, p: welchTTest(finals(a), finals(b)).p });
    }
  }
  // Every pair is a test: with k strategies, k(k-1)/2 of them; Holm keeps the chance of any false positive at the level.
  const holm = holmAdjust(pairwise.map((w) => w.p));
  return {
    config,
    reportMetric: records.reportMetric,
    optimum,
    runs,
    failures: records.failures,
    summaries,
    pairwise: pairwise.map((w, i) => ({ ...w, pHolm: holm[i] as number })),
    totalMs: records.totalMs,
  };
}
