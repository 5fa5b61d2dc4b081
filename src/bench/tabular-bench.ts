import type { ComponentConfig, RunConfig } from '../engine/config.js';
import { describeError } from '../core/describe-error.js';
import { isTsnasError } from '../core/errors.js';
import type { Registries } from '../core/registry.js';
import { runSearch } from '../wiring/run-search.js';
import { holmAdjust } from '../stats/holm.js';
import { quantile, summarize, welchTTest, type Summary } from '../stats/summary.js';
import { MemoryStore } from '../store/memory-store.js';
import { bestSoFarAt } from './trajectory.js';

/** A strategy under test: a label (unique in the benchmark) and its component config. */
export interface BenchEntry {
  readonly label: string;
  readonly strategy: ComponentConfig;
}

export interface BenchConfig {
  readonly entries: readonly BenchEntry[];
  readonly space: ComponentConfig;
  readonly evaluator: ComponentConfig;
  readonly reward?: string;
  readonly seeds: number;
  readonly seedStart: number;
  readonly evaluations: number;
  /** Budgets (in evaluations) at which best-so-far is reported; the last is the final budget. */
  readonly checkpoints: readonly number[];
  readonly plugins: readonly string[];
}

export interface BenchRun {
  readonly label: string;
  readonly seed: number;
  /** Reported metric of the best-by-reward trial at each checkpoint. */
  readonly atCheckpoints: number[];
  /** The full trace: reported metric of the best-by-reward trial after each evaluation, 1 to the budget (bench.json only). */
  readonly trace: number[];
  readonly bestReward: number | null;
  readonly bestKey: string | null;
  readonly evaluations: number;
  readonly trials: number;
  readonly ms: number;
}

/** A run that a component broke (a strategy's tell threw): left out of the summaries, reported. */
export interface BenchFailure {
  readonly label: string;
  readonly seed: number;
  readonly error: string;
}

export interface BenchEntrySummary {
  readonly label: string;
  readonly strategy: ComponentConfig;
  /** One summary per checkpoint; the last is the final best. */
  readonly atCheckpoints: Summary[];
  readonly meanMsPerRun: number;
  /** The final best's median and quartiles over seeds: robust beside mean ± std when a few seeds fail badly. */
  readonly final: { readonly median: number; readonly q1: number; readonly q3: number };
}

export interface BenchResult {
  readonly config: BenchConfig;
  readonly reportMetric: string;
  readonly runs: BenchRun[];
  /** Runs that threw; absent from `runs` and the summaries. */
  readonly failures: BenchFailure[];
  readonly summaries: BenchEntrySummary[];
  /** Welch two-sided p-values of the final best between every pair of entries; `pHolm`: Holm-adjusted over all the pairs. */
  readonly pairwise: { a: string; b: string; meanDiff: number; p: number; pHolm: number }[];
  readonly totalMs: number;
}

/**
 * Runs every strategy for every seed on one (tabular) evaluator, in memory, and summarises the
 * reported metric of the best architecture found, at each checkpoint of the budget.
 */
export async function runBench(config: BenchConfig, registries: Registries, onRun?: (run: BenchRun | BenchFailure) => void): Promise<BenchResult> {
  const started = performance.now();
  const runs: BenchRun[] = [];
  const failures: BenchFailure[] = [];
  let reportMetric = '';
  for (const entry of config.entries) {
    for (let seed = config.seedStart; seed < config.seedStart + config.seeds; seed++) {
      const runConfig: RunConfig = {
        space: config.space,
        strategy: entry.strategy,
        evaluator: config.evaluator,
        ...(config.reward !== undefined ? { reward: config.reward } : {}),
        seed,
        budget: { evaluations: config.evaluations },
        concurrency: 1,
        checkpointEvery: 0,
        plugins: config.plugins,
      };
      const t0 = performance.now();
      let r: Awaited<ReturnType<typeof runSearch>>;
      try {
        r = await runSearch(runConfig, { name: `${entry.label}-${seed}`, store: new MemoryStore(), registries });
      } catch (e) {
        // A config or contract error is the same for every seed: the whole bench stops. Anything else
        // thrown (a plugin strategy's bug) is this run's fault only.
        if (isTsnasError(e)) throw e;
        const failure = { label: entry.label, seed, error: describeError(e) };
        failures.push(failure);
        onRun?.(failure);
        continue;
      }
      reportMetric = r.reportMetric;
      const run: BenchRun = {
        label: entry.label,
        seed,
        atCheckpoints: bestSoFarAt(r.trials, config.checkpoints, r.reportMetric),
        trace: bestSoFarAt(r.trials, Array.from({ length: config.evaluations }, (_, i) => i + 1), r.reportMetric),
        bestReward: r.best?.reward ?? null,
        bestKey: r.best?.key ?? null,
        evaluations: r.evaluations,
        trials: r.trials.length,
        ms: performance.now() - t0,
      };
      runs.push(run);
      onRun?.(run);
    }
  }
  const summaries = config.entries.map((entry) => {
    const mine = runs.filter((r) => r.label === entry.label);
    return {
      label: entry.label,
      strategy: entry.strategy,
      atCheckpoints: config.checkpoints.map((_, i) => summarize(mine.map((r) => r.atCheckpoints[i] as number))),
      meanMsPerRun: mine.reduce((s, r) => s + r.ms, 0) / Math.max(1, mine.length),
      final: (([q1, median, q3]) => ({ median, q1, q3 }))([0.25, 0.5, 0.75].map((q) => quantile(mine.map((r) => r.atCheckpoints.at(-1) as number), q)) as [number, number, number]),
    };
  });
  const finals = (label: string) => runs.filter((r) => r.label === label).map((r) => r.atCheckpoints[r.atCheckpoints.length - 1] as number);
  const pairwise: Omit<BenchResult['pairwise'][number], 'pHolm'>[] = [];
  for (let i = 0; i < config.entries.length; i++) {
    for (let j = i + 1; j < config.entries.length; j++) {
      const a = (config.entries[i] as BenchEntry).label;
      const b = (config.entries[j] as BenchEntry).label;
      const w = welchTTest(finals(a), finals(b));
      const sa = summarize(finals(a));
      const sb = summarize(finals(b));
      pairwise.push({ a, b, meanDiff: sa.mean - sb.mean, p: w.p });
    }
  }
  // Every pair is a test: with k strategies, k(k-1)/2 of them; Holm keeps the chance of any false positive at the level.
  const holm = holmAdjust(pairwise.map((w) => w.p));
  return { config, reportMetric, runs, failures, summaries, pairwise: pairwise.map((w, i) => ({ ...w, pHolm: holm[i] as number })), totalMs: performance.now() - started };
}
