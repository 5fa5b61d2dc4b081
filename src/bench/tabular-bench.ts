import type { ComponentConfig, RunConfig } from '../engine/config.js';
import { describeError } from '../core/describe-error.js';
import { isTsnasError } from '../core/errors.js';
import type { Registries } from '../core/registry.js';
import { runSearch } from '../wiring/run-search.js';
import type { Summary } from '../stats/summary.js';
import { MemoryStore } from '../store/memory-store.js';
import { summarizeBench } from './bench-summary.js';
import { runInWorkers } from './bench-pool.js';
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

/** Regret (optimum − best-so-far) over the seeds at one checkpoint: mean ± std with its CI, and the median. */
export interface RegretSummary extends Summary {
  readonly median: number;
}

export interface BenchEntrySummary {
  readonly label: string;
  readonly strategy: ComponentConfig;
  /** One summary per checkpoint; the last is the final best. */
  readonly atCheckpoints: Summary[];
  /** Regret at each checkpoint; absent when the evaluator knows no optimum. */
  readonly regret?: RegretSummary[];
  readonly meanMsPerRun: number;
  /** The final best's median and quartiles over seeds: robust beside mean ± std when a few seeds fail badly. */
  readonly final: { readonly median: number; readonly q1: number; readonly q3: number };
}

export interface BenchResult {
  readonly config: BenchConfig;
  readonly reportMetric: string;
  /** Best value of the reported metric over the whole space (e.g. the table's best test accuracy); null when the evaluator does not know it. */
  readonly optimum: number | null;
  readonly runs: BenchRun[];
  /** Runs that threw; absent from `runs` and the summaries. */
  readonly failures: BenchFailure[];
  readonly summaries: BenchEntrySummary[];
  /** Welch two-sided p-values of the final best between every pair of entries; `pHolm`: Holm-adjusted over all the pairs. */
  readonly pairwise: { a: string; b: string; meanDiff: number; p: number; pHolm: number }[];
  readonly totalMs: number;
}

/** How one (strategy, seed) run ended: its record, with what the evaluator said of the reported metric, or its failure. */
export type RunOutcome = { readonly run: BenchRun; readonly reportMetric: string; readonly optimum: number | null } | { readonly failure: BenchFailure };

export interface BenchOptions {
  /** Called as each run ends (in completion order when runs are parallel). */
  readonly onRun?: (run: BenchRun | BenchFailure) => void;
  /** Worker threads running (strategy, seed) runs at once; 1 (default): one after the other in this thread. */
  readonly workers?: number;
}

/**
 * One run of the benchmark, in memory. A config or contract error is the same for every seed and is
 * thrown (the whole bench stops); anything else thrown (a plugin strategy's bug) is this run's failure.
 */
export async function benchRun(config: BenchConfig, entry: BenchEntry, seed: number, registries: Registries): Promise<RunOutcome> {
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
    if (isTsnasError(e)) throw e;
    return { failure: { label: entry.label, seed, error: describeError(e) } };
  }
  const trace = bestSoFarAt(r.trials, Array.from({ length: config.evaluations }, (_, i) => i + 1), r.reportMetric);
  const run: BenchRun = {
    label: entry.label,
    seed,
    atCheckpoints: config.checkpoints.map((c) => trace[c - 1] as number),
    trace,
    bestReward: r.best?.reward ?? null,
    bestKey: r.best?.key ?? null,
    evaluations: r.evaluations,
    trials: r.trials.length,
    ms: performance.now() - t0,
  };
  return { run, reportMetric: r.reportMetric, optimum: r.reportOptimum };
}

/** Every (entry index, seed) of the benchmark, entries outermost: the order of bench.json's runs. */
export function benchTasks(config: BenchConfig): { entry: number; seed: number }[] {
  return config.entries.flatMap((_, entry) => Array.from({ length: config.seeds }, (_, k) => ({ entry, seed: config.seedStart + k })));
}

/**
 * Runs every strategy for every seed on one (tabular) evaluator, in memory, and summarises the
 * reported metric of the best architecture found, at each checkpoint of the budget. With workers > 1
 * the runs go to worker threads; each run depends only on its config and seed, so the records are the same.
 */
export async function runBench(config: BenchConfig, registries: Registries, options: BenchOptions = {}): Promise<BenchResult> {
  const started = performance.now();
  const tasks = benchTasks(config);
  const report = (o: RunOutcome) => options.onRun?.('run' in o ? o.run : o.failure);
  let outcomes: RunOutcome[];
  if ((options.workers ?? 1) > 1) {
    outcomes = await runInWorkers(config, tasks, options.workers as number, report);
  } else {
    outcomes = [];
    for (const t of tasks) {
      const o = await benchRun(config, config.entries[t.entry] as BenchEntry, t.seed, registries);
      report(o);
      outcomes.push(o);
    }
  }
  const done = outcomes.filter((o) => 'run' in o);
  return summarizeBench({
    config,
    reportMetric: done[0]?.reportMetric ?? '',
    optimum: done[0]?.optimum ?? null,
    runs: done.map((o) => o.run),
    failures: outcomes.flatMap((o) => ('failure' in o ? [o.failure] : [])),
    totalMs: performance.now() - started,
  });
}
