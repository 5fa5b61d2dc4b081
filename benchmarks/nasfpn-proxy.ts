/**
 * Validates the NAS-FPN proxy: does it tell pyramids apart, and does a cheap rung rank them as the top
 * fidelity does? Every (pyramid, seed) is one training run, continued rung by rung (the state is kept
 * in the output folder), so the rung scores are snapshots of the same runs:
 *   (a) seed noise: the named pyramids over --seeds seeds, std at each rung;
 *   (b) rank fidelity: --random random pyramids plus the named ones (seed 0), Kendall tau between
 *       their validation AP at each rung and at the top one;
 *   (c) the named pyramids at the top fidelity on the test split, Welch p against fpn.
 *
 *   node dist/benchmarks/nasfpn-proxy.js [--random 20] [--seeds 5] [--rungs 100,300,1000,3000]
 *        [--workers 2] [--evaluator-opt k=v ...] [--out bench-out/nasfpn-proxy]
 *
 * Results are appended to OUT/runs.jsonl as they finish (benchmarks/lib/pyramid-runs.ts); a rerun skips
 * what is there and continues unfinished runs from their last rung, so the benchmark can be split across
 * sessions.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collect, parseKeyValues } from '../src/cli/kv.js';
import { sampleChoices } from '../src/core/choices.js';
import { Rng } from '../src/core/rng.js';
import { NAMED_PYRAMIDS, NasFpnSpace } from '../src/spaces/nasfpn/index.js';
import { kendallTau } from '../src/stats/kendall.js';
import { summarize, welchTTest } from '../src/stats/summary.js';
import { benchmarkCommand, int, numList, parseBenchmark } from './lib/command.js';
import { PyramidRuns, type PyramidJob } from './lib/pyramid-runs.js';

const o = parseBenchmark<{ random: number; seeds: number; rungs: number[]; workers: number; evaluatorOpt: string[]; out: string; reportOnly?: boolean }>(
  benchmarkCommand('nasfpn-proxy', 'validates the NAS-FPN proxy: seed noise, Kendall tau of each rung against the top one, named pyramids on the test split')
    .option('--random <n>', 'random pyramids for the rank fidelity', int(0), 20)
    .option('--seeds <n>', 'seeds of the named pyramids', int(1), 5)
    .option('--rungs <list>', 'increasing training steps at which each run is scored', numList(1, true), [100, 300, 1000, 3000])
    .option('--workers <n>', 'pool workers (0: one per core)', int(0), 0)
    .option('--evaluator-opt <key=value>', 'detection-proxy option (repeatable)', collect, [])
    .option('--out <dir>', 'the runs (runs.jsonl, their states) and the report', 'bench-out/nasfpn-proxy')
    .option('--report-only', 'report the rows there, train nothing'),
);
const rungs = o.rungs;
if (rungs.length === 0 || rungs.some((r, i) => i > 0 && r <= (rungs[i - 1] as number))) throw new Error(`--rungs must be increasing positive integers, got ${rungs.join(',')}`);
const top = rungs[rungs.length - 1] as number;
const seeds = o.seeds;
const evaluatorOptions = { ...parseKeyValues('--evaluator-opt', o.evaluatorOpt), steps: top, minSteps: rungs[0] as number };
const out = o.out;

const jobs: PyramidJob[] = [];
for (const [label, genotype] of Object.entries(NAMED_PYRAMIDS)) {
  for (let seed = 0; seed < seeds; seed++) jobs.push({ label, kind: 'named', genotype, seed });
}
const paperSpace = new NasFpnSpace();
const rng = Rng.fromSeed(12345);
for (let i = 0; i < o.random; i++) jobs.push({ label: `random-${i}`, kind: 'random', genotype: paperSpace.decode(sampleChoices(paperSpace, rng)), seed: 0 });

const runs = new PyramidRuns({ out, evaluatorOptions, rungs });
const options = runs.options;
if (!o.reportOnly) await runs.run(jobs, o.workers);

// ---- report ----
const rows = runs.rows();
const at = (label: string, rung: number, metric: string) => rows.filter((r) => r.label === label && r.rung === rung).sort((a, b) => a.seed - b.seed).map((r) => r.metrics[metric] as number);
const fmt = (xs: number[]) => (xs.length ? `${summarize(xs).mean.toFixed(4)} ± ${summarize(xs).std.toFixed(4)}` : '—');
const named = Object.keys(NAMED_PYRAMIDS);
const lines: string[] = [`proxy: detection-proxy ${options}; rungs ${rungs.join(', ')}`, ''];

lines.push('(a) seed noise: validation AP, mean ± std over seeds', '', `| pyramid | ${rungs.map((r) => `@${r}`).join(' | ')} |`, `|---|${rungs.map(() => '---').join('|')}|`);
for (const n of named) lines.push(`| ${n} | ${rungs.map((r) => fmt(at(n, r, 'ap'))).join(' | ')} |`);

const rankSet = [...new Set(rows.filter((r) => r.seed === 0).map((r) => r.label))].filter((l) => rows.some((r) => r.label === l && r.seed === 0 && r.rung === top));
const score = (label: string, rung: number) => rows.find((r) => r.label === label && r.seed === 0 && r.rung === rung)?.metrics.ap;
lines.push('', `(b) rank fidelity over ${rankSet.length} pyramids (seed 0): Kendall tau of validation AP at each rung vs @${top}`, '', '| rung | tau |', '|---|---|');
for (const r of rungs.slice(0, -1)) {
  const both = rankSet.filter((l) => score(l, r) !== undefined);
  lines.push(`| @${r} | ${kendallTau(both.map((l) => score(l, r) as number), both.map((l) => score(l, top) as number)).toFixed(3)} (${both.length}) |`);
}

lines.push('', `(c) named pyramids @${top}, mean ± std over seeds; p: Welch vs fpn on test AP`, '', '| pyramid | val AP | test AP | test AP50 | p vs fpn | params | GFLOPs/img |', '|---|---|---|---|---|---|---|');
const fpnTest = at('fpn', top, 'test_ap');
for (const n of named) {
  const t = at(n, top, 'test_ap');
  const first = rows.find((r) => r.label === n && r.rung === top);
  const p = n !== 'fpn' && t.length > 1 && fpnTest.length > 1 ? welchTTest(t, fpnTest).p.toExponential(1) : '';
  lines.push(`| ${n} | ${fmt(at(n, top, 'ap'))} | ${fmt(t)} | ${fmt(at(n, top, 'test_ap50'))} | ${p} | ${first?.metrics.params ?? ''} | ${first ? ((first.metrics.flops as number) / 1e9).toFixed(3) : ''} |`);
}
const report = lines.join('\n');
console.log(report);
writeFileSync(join(out, 'report.md'), report + '\n');
