/**
 * The search benchmarks' cross-seed tables (markdown lines): each strategy's returned candidates over
 * the search seeds against a baseline and against each other (Welch), and its best-so-far curve band
 * at a few evaluation counts.
 */
import { summarize } from '../../src/stats/summary.js';
import type { SearchSummary } from './search-summary.js';
import { curveBand, fixed, meanStd, pairwise, pText, welchP, type BandPoint } from './seed-stats.js';

export interface StrategySamples {
  readonly strategy: string;
  /** Searches of the strategy found in the runs folder. */
  readonly searches: number;
  /** Per search seed: its returned candidate's mean over the eval seeds. */
  readonly samples: readonly { readonly seed: number; readonly value: number }[];
  readonly values: readonly number[];
}

/** Each strategy's samples: `valuesOf(experiment)` is the returned candidate's per-eval-seed values (empty when not trained). */
export function strategySamples(strategies: readonly string[], summaries: readonly SearchSummary<unknown>[], valuesOf: (experiment: string) => readonly number[]): StrategySamples[] {
  return strategies.map((strategy) => {
    const mine = summaries.filter((s) => s.strategy === strategy);
    const samples = mine.flatMap((s) => {
      const xs = valuesOf(s.experiment);
      return xs.length ? [{ seed: s.config.seed, value: summarize(xs).mean }] : [];
    });
    return { strategy, searches: mine.length, samples, values: samples.map((x) => x.value) };
  });
}

/** Each strategy's best-so-far band over its searches, up to the most evaluations any search made. */
export function strategyBands(strategies: readonly string[], summaries: readonly SearchSummary<unknown>[]): { strategy: string; band: BandPoint[] }[] {
  const max = Math.max(0, ...summaries.map((s) => s.evaluations));
  return strategies.map((strategy) => ({ strategy, band: curveBand(summaries.filter((s) => s.strategy === strategy).map((s) => s.curve), max) }));
}

export interface SampleTableOptions {
  /** The metric's column title, e.g. "test acc". */
  readonly metric: string;
  readonly digits: number;
  readonly seeds: number;
  /** What each strategy is compared with: a candidate's per-eval-seed values. */
  readonly baseline: { readonly label: string; readonly values: readonly number[] };
}

/** The strategies' table (mean ± std over the search seeds, each seed's value, p vs the baseline), then every pair's difference and p. */
export function strategyTables(rows: readonly StrategySamples[], o: SampleTableOptions): string[] {
  return [
    `| strategy | search seeds | ${o.metric} | per seed | p vs ${o.baseline.label} |`,
    '|---|---|---|---|---|',
    ...rows.map((s) => `| ${s.strategy} | ${s.samples.length}/${o.seeds} | ${meanStd(s.values, o.digits)} | ${s.samples.map((x) => `s${x.seed} ${x.value.toFixed(o.digits)}`).join(', ')} | ${pText(welchP(s.values, o.baseline.values))} |`),
    '',
    `between strategies (${o.metric}, difference of means, Welch p over the search seeds)`,
    '',
    '| a − b | difference | p |',
    '|---|---|---|',
    ...pairwise(rows.map((s) => ({ label: s.strategy, values: s.values }))).map((r) => `| ${r.a} − ${r.b} | ${fixed(r.diff, o.digits)} | ${pText(r.p)} |`),
  ];
}

/** The bands at the checkpoints: mean [95% t-interval] (seeds with a value). */
export function bandTable(bands: readonly { strategy: string; band: readonly BandPoint[] }[], checkpoints: readonly number[], digits: number): string[] {
  return [
    `| strategy | ${checkpoints.map((n) => `@${n}`).join(' | ')} |`,
    `|---|${checkpoints.map(() => '---').join('|')}|`,
    ...bands.map((b) => `| ${b.strategy} | ${checkpoints.map((n) => {
      const p = b.band[n - 1];
      return p && p.n ? `${fixed(p.mean, digits)} [${fixed(p.ciLow, digits)}, ${fixed(p.ciHigh, digits)}] (${p.n})` : '—';
    }).join(' | ')} |`),
  ];
}
