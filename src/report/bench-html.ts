import type { BenchResult } from '../bench/tabular-bench.js';
import { esc } from './draw/svg.js';
import { htmlPage } from './page.js';
import { benchCurveSpec } from './specs.js';

/** About this many points per curve in the report (the tables keep the checkpoints asked for). */
const CURVE_POINTS = 30;

/** The checkpoints a report's curves are read at (from the runs' traces): the asked ones plus an even grid. */
export function reportCheckpoints(checkpoints: readonly number[], evaluations: number): number[] {
  const step = Math.max(1, Math.round(evaluations / CURVE_POINTS));
  const grid = Array.from({ length: Math.floor(evaluations / step) }, (_, k) => (k + 1) * step);
  return [...new Set([...checkpoints, ...grid, evaluations])].sort((a, b) => a - b);
}

const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

/** The benchmark report: per-strategy best-so-far curves with 95% bands, the final table and the pairwise tests. */
export function benchHtml(r: BenchResult): string {
  const curves = r.summaries.flatMap((s) => s.atCheckpoints.map((c, k) => ({ strategy: s.label, evaluations: r.config.checkpoints[k], mean: c.mean, ciLow: c.ciLow, ciHigh: c.ciHigh, n: c.n })));
  const last = r.config.checkpoints.length - 1;
  const finals = r.summaries
    .map((s) => {
      const c = s.atCheckpoints[last]!;
      return `<tr><td class="text">${esc(s.label)}</td><td class="text">${esc(s.strategy.name)}</td><td>${f(c.mean)}</td><td>${f(c.std)}</td><td>[${f(c.ciLow)}, ${f(c.ciHigh)}]</td><td>${c.n}</td><td>${s.meanMsPerRun.toFixed(1)}</td></tr>`;
    })
    .join('');
  const fp = (p: number) => (p < 1e-4 ? p.toExponential(1) : p.toFixed(4));
  const pairs = r.pairwise
    .map((p) => `<tr><td class="text">${esc(p.a)} − ${esc(p.b)}</td><td>${p.meanDiff >= 0 ? '+' : ''}${f(p.meanDiff)}</td><td data-v="${p.p}">${fp(p.p)}</td><td data-v="${p.pHolm}">${fp(p.pHolm)}</td><td class="text">${p.pHolm < 0.05 ? 'yes' : 'no'}</td></tr>`)
    .join('');
  const c = r.config;
  const body = `
<h1>tsnas benchmark: ${esc(c.entries.map((e) => e.label).join(' vs '))}</h1>
<p class="meta">space <b>${esc(c.space.name)}</b> · evaluator <b>${esc(c.evaluator.name)}</b>${c.reward ? ` · reward <code>${esc(c.reward)}</code>` : ''} · ${c.seeds} seeds (from ${c.seedStart}) × ${c.evaluations} evaluations · reported: ${esc(r.reportMetric)} of the best-by-reward architecture · ${(r.totalMs / 1000).toFixed(1)} s</p>
<h2>Best so far</h2>
<div id="chart-curves" class="chart"></div>
<p class="meta">Mean over seeds with its 95% confidence band (Student t).</p>
<h2>After ${c.evaluations} evaluations</h2>
<table class="sortable" id="finals" style="width:auto"><thead><tr><th>label</th><th>strategy</th><th>mean</th><th>std</th><th>95% CI</th><th>runs</th><th>ms/run</th></tr></thead><tbody>${finals}</tbody></table>
<h2>Pairwise tests (Welch's t, final budget; Holm-adjusted over all pairs)</h2>
${pairs ? `<table class="sortable" id="pairwise" style="width:auto"><thead><tr><th>pair</th><th>mean difference</th><th>p</th><th>Holm p</th><th>Holm p &lt; 0.05</th></tr></thead><tbody>${pairs}</tbody></table>` : '<p class="meta">one strategy: nothing to compare</p>'}
`;
  return htmlPage({ title: 'tsnas benchmark', body, charts: { 'chart-curves': { ...benchCurveSpec(r.reportMetric), datasets: { curves } } } });
}
