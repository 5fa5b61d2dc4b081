/**
 * Statistics over search seeds for the search benchmarks: a strategy's best-so-far curves as a mean
 * with a 95% t-interval at each evaluation count, and Welch tests between groups of per-seed values.
 */
import { summarize, welchTTest, type Summary } from '../../src/stats/summary.js';
import type { CurvePoint } from './search-summary.js';

/** A search's best-so-far reward after `n` evaluations started: the point after the last rung finished within them (null before the first). */
export function bestAfter(curve: readonly CurvePoint[], n: number): number | null {
  let best: number | null = null;
  for (const p of curve) if (p.evaluations <= n && p.bestReward !== null) best = p.bestReward;
  return best;
}

export interface BandPoint extends Summary {
  readonly evaluations: number;
}

/** Mean and 95% t-interval over the curves (one per search seed) at each evaluation count 1..max, over the seeds that have a value there. */
export function curveBand(curves: readonly (readonly CurvePoint[])[], max: number): BandPoint[] {
  return Array.from({ length: max }, (_, i) => {
    const values = curves.map((c) => bestAfter(c, i + 1)).filter((v): v is number => v !== null);
    return { evaluations: i + 1, ...summarize(values) };
  });
}

/** The bands of several strategies as one CSV: evaluations, then n, mean, ci_low, ci_high per strategy. */
export function bandsCsv(bands: readonly { readonly strategy: string; readonly band: readonly BandPoint[] }[]): string {
  const max = Math.max(0, ...bands.map((b) => b.band.length));
  const num = (x: number) => (Number.isFinite(x) ? String(x) : '');
  const header = ['evaluations', ...bands.flatMap((b) => ['n', 'mean', 'ci_low', 'ci_high'].map((c) => `${b.strategy}_${c}`))];
  const rows = Array.from({ length: max }, (_, i) => [String(i + 1), ...bands.flatMap((b) => {
    const p = b.band[i];
    return p ? [String(p.n), num(p.mean), num(p.ciLow), num(p.ciHigh)] : ['0', '', '', ''];
  })].join(','));
  return [header.join(','), ...rows].join('\n') + '\n';
}

export interface Group {
  readonly label: string;
  readonly values: readonly number[];
}

/** Welch's two-sided p of a against b; null when either has fewer than two values. */
export function welchP(a: readonly number[], b: readonly number[]): number | null {
  return a.length > 1 && b.length > 1 ? welchTTest(a, b).p : null;
}

/** Every pair of groups: the difference of means and Welch's p. */
export function pairwise(groups: readonly Group[]): { a: string; b: string; diff: number; p: number | null }[] {
  const out: { a: string; b: string; diff: number; p: number | null }[] = [];
  groups.forEach((a, i) => {
    for (const b of groups.slice(i + 1)) out.push({ a: a.label, b: b.label, diff: summarize(a.values).mean - summarize(b.values).mean, p: welchP(a.values, b.values) });
  });
  return out;
}

/** A number at `digits`; — when there is none (null, or not finite). */
export function fixed(x: number | null | undefined, digits: number): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

/** A summary's `mean ± std` at `digits`; — when its mean is not finite (no values). */
export function plusMinus(s: { readonly mean: number; readonly std: number }, digits: number): string {
  return Number.isFinite(s.mean) ? `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}` : '—';
}

/** `mean ± std` of `xs` at `digits`, with the count when it is short of `expected`; — when empty. */
export function meanStd(xs: readonly number[], digits: number, expected = xs.length): string {
  if (!xs.length) return '—';
  return `${plusMinus(summarize(xs), digits)}${xs.length < expected ? ` (${xs.length} seeds)` : ''}`;
}

/** A p-value as the reports print it; '' when there is none. */
export const pText = (p: number | null): string => (p === null ? '' : p.toExponential(1));
