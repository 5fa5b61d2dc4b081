import type { BenchResult } from './tabular-bench.js';

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

/** A Markdown table of the benchmark: final best and best-so-far at each checkpoint, plus Welch p-values. */
export function benchMarkdown(r: BenchResult): string {
  const cps = r.config.checkpoints;
  const final = cps.length - 1;
  const lines = [
    `${r.reportMetric} of the best-by-reward architecture; ${r.config.seeds} seeds x ${r.config.evaluations} evaluations; mean ± std [95% CI]`,
    '',
    `| strategy | final (${cps[final]} evals) | median [Q1, Q3] | ${cps.map((c) => `@${c}`).join(' | ')} | ms/run |`,
    `|---|---|---|${cps.map(() => '---').join('|')}|---|`,
  ];
  for (const s of r.summaries) {
    const fin = s.atCheckpoints[final];
    const cells = s.atCheckpoints.map((c) => `${f2(c.mean)} ± ${f2(c.std)}`);
    const iqr = `${f2(s.final.median)} [${f2(s.final.q1)}, ${f2(s.final.q3)}]`;
    lines.push(`| ${s.label} | ${fin ? `${f2(fin.mean)} ± ${f2(fin.std)} [${f2(fin.ciLow)}, ${f2(fin.ciHigh)}]` : ''} | ${iqr} | ${cells.join(' | ')} | ${s.meanMsPerRun.toFixed(1)} |`);
  }
  if (r.optimum !== null) {
    lines.push('', `regret: the best ${r.reportMetric} in the space (${f2(r.optimum)}) minus the strategy's; mean ± std (median)`, '', `| strategy | ${cps.map((c) => `@${c}`).join(' | ')} |`, `|---|${cps.map(() => '---').join('|')}|`);
    for (const s of r.summaries) lines.push(`| ${s.label} | ${(s.regret ?? []).map((g) => `${f2(g.mean)} ± ${f2(g.std)} (${f2(g.median)})`).join(' | ')} |`);
  }
  if (r.pairwise.length) {
    const fp = (p: number) => (p < 1e-4 ? p.toExponential(1) : p.toFixed(4));
    lines.push('', '| pair (final) | mean difference | Welch p | Holm-adjusted p |', '|---|---|---|---|');
    for (const p of r.pairwise) lines.push(`| ${p.a} − ${p.b} | ${p.meanDiff >= 0 ? '+' : ''}${p.meanDiff.toFixed(3)} | ${fp(p.p)} | ${fp(p.pHolm)} |`);
  }
  if (r.failures.length) {
    lines.push('', `${r.failures.length} run${r.failures.length > 1 ? 's' : ''} failed (left out above):`);
    for (const f of r.failures) lines.push(`- ${f.label} seed ${f.seed}: ${f.error.replace(/\s*\n\s*/g, ' ')}`);
  }
  lines.push('', `total ${(r.totalMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}

/** One CSV row per run: label, seed, best reward, reported metric at each checkpoint, then its regret there (when the optimum is known). */
export function benchCsv(r: BenchResult): string {
  const cps = r.config.checkpoints;
  const { optimum } = r;
  const header = ['strategy', 'seed', 'best_reward', 'best_arch', 'evaluations', 'trials', 'ms', ...cps.map((c) => `${r.reportMetric}@${c}`), ...(optimum !== null ? cps.map((c) => `regret@${c}`) : [])];
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const rows = r.runs.map((run) =>
    [run.label, run.seed, run.bestReward ?? '', quote(run.bestKey ?? ''), run.evaluations, run.trials, run.ms.toFixed(2), ...run.atCheckpoints, ...(optimum !== null ? run.atCheckpoints.map((v) => optimum - v) : [])].join(','),
  );
  return [header.join(','), ...rows].join('\n') + '\n';
}
