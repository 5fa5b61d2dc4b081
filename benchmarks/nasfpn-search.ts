/**
 * The search-result benchmark: runs one NAS-FPN search preset (src/cli/presets.ts) with several
 * strategies on the same budget, then trains each search's returned pyramid (its top-k re-evaluation's
 * best, else its best trial) and the named pyramids at the evaluator's top fidelity over --eval-seeds
 * seeds and compares them on the test split.
 *
 *   node dist/benchmarks/nasfpn-search.js [--preset nasfpn-1h] [--strategies evolution,random,ppo]
 *        [--search-seed 0 | --search-seeds 0,1,2] [--eval-seeds 5] [--runs-dir runs] [--out bench-out/nasfpn-search]
 *        [--evaluator-opt k=v ...] [--strategy-opt STRATEGY.k=v ...] [--evaluations N] [--workers N]
 *        [--reuse bench-out/nasfpn-proxy/runs.jsonl,benchmarks/results/nasfpn-proxy/runs.jsonl] [--checkpoints 25,50,100] [--report-only]
 *
 * Each search is the preset's config built as `tsnas search --preset P --strategy S --seed N` builds it
 * (the preset's strategy options belong to its strategy; the others get their defaults, or what
 * --strategy-opt gives them, e.g. `hybrid.population=12` for the population evolution has), stored as
 * experiment `<preset>-<strategy>-s<seed>` in the runs folder. An experiment that exists is resumed, so
 * the searches can be split across sessions and a finished one is not run again. The pyramid runs go
 * through benchmarks/lib/pyramid-runs.ts (OUT/runs.jsonl), with the seeds and the row format of
 * nasfpn-proxy: rows that the files named by --reuse hold for the same evaluator options are copied
 * instead of trained again.
 *
 * The report (stdout, OUT/report.md, OUT/report.json) has the pyramids' val/test AP (mean ± std over the
 * seeds, Welch p against fpn on test AP), each search's summary and its best-so-far curve, computed
 * from the store after the fact (OUT/curve-<strategy>.csv). The curve's seconds are search time: the
 * sessions this benchmark ran each experiment in (OUT/sessions.jsonl) up to their top-k re-evaluation,
 * without the time between them. The searches run and are read through benchmarks/lib/search-runs.ts
 * and search-summary.ts (shared with nasnet-search).
 *
 * With several --search-seeds, each strategy runs once per seed (`<preset>-<strategy>-s<seed>`), the
 * tables name each search by strategy and seed (curves in OUT/curve-<strategy>-s<seed>.csv), and the
 * report adds each strategy's returned pyramids over the seeds (a seed's sample: its pyramid's mean test
 * AP over the eval seeds; Welch p against fpn and between strategies) and its best-so-far curve as a
 * mean with a 95% t-interval over the seeds (OUT/curves.csv; report.json `strategies`, `bands`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collect } from '../src/cli/kv.js';
import { PRESETS } from '../src/cli/presets.js';
import { loadRegistries } from '../src/wiring/registries.js';
import { runConfigFromFlags } from '../src/cli/run-config-flags.js';
import { ConfigError } from '../src/core/errors.js';
import type { JsonValue } from '../src/core/json.js';
import { resolveOptions } from '../src/core/options.js';
import { DETECTION_METRICS } from '../src/evaluators/proxy/detection-evaluator.js';
import { NAMED_PYRAMIDS, type NasFpnGenotype } from '../src/spaces/nasfpn/index.js';
import { summarize } from '../src/stats/summary.js';
import { RunsFolder } from '../src/store/runs-folder.js';
import { benchmarkCommand, int, numList, parseBenchmark } from './lib/command.js';
import { PyramidRuns, type PyramidJob } from './lib/pyramid-runs.js';
import { SearchSessions } from './lib/search-sessions.js';
import { interruptible, runSearches, type PlannedSearch } from './lib/search-runs.js';
import { parseStrategies, parseStrategyOpts } from './lib/strategy-flags.js';
import { bandsCsv, fixed, meanStd, plusMinus, pText, welchP } from './lib/seed-stats.js';
import { bandTable, strategyBands, strategySamples, strategyTables } from './lib/strategy-tables.js';
import { curveCsv, readSearch, type CurvePoint, type Returned, type SearchMetrics, type SearchSummary } from './lib/search-summary.js';

interface Options {
  preset: string;
  strategies: string;
  searchSeed: number;
  searchSeeds?: number[];
  evalSeeds: number;
  runsDir: string;
  out: string;
  evaluatorOpt: string[];
  strategyOpt: string[];
  evaluations?: number;
  workers?: number;
  reuse: string;
  checkpoints: number[];
  reportOnly?: boolean;
}

const values = parseBenchmark<Options>(
  benchmarkCommand('nasfpn-search', "one NAS-FPN search preset run by several strategies on the same budget; each search's returned pyramid and the named ones trained over seeds and compared on the test split")
    .option('--preset <name>', 'the search preset (src/cli/presets.ts)', 'nasfpn-1h')
    .option('--strategies <list>', 'comma-separated strategies', 'evolution,random,ppo')
    .option('--search-seed <n>', "the searches' seed", int(0), 0)
    .option('--search-seeds <list>', "several search seeds (instead of --search-seed): each strategy's searches compared over them", numList(0, true))
    .option('--eval-seeds <n>', 'seeds each returned pyramid is trained over', int(1), 5)
    .option('--runs-dir <dir>', 'where the experiments are stored', 'runs')
    .option('--out <dir>', 'the pyramid runs, sessions log and report', 'bench-out/nasfpn-search')
    .option('--evaluator-opt <key=value>', 'detection-proxy option for the searches (repeatable)', collect, [])
    .option('--strategy-opt <strategy.key=value>', "an option of one listed strategy, e.g. hybrid.population=12 (repeatable; the preset's options belong to its own strategy)", collect, [])
    .option('--evaluations <n>', "the searches' budget (default: the preset's)", int(1))
    .option('--workers <n>', 'pool workers (default: the preset\'s, or one per core)', int(0))
    .option('--reuse <files>', 'comma-separated runs.jsonl files whose rows with the same options are copied', 'bench-out/nasfpn-proxy/runs.jsonl,benchmarks/results/nasfpn-proxy/runs.jsonl')
    .option('--checkpoints <list>', 'evaluation counts of the summary columns', numList(1, true), [25, 50, 100])
    .option('--report-only', 'report what is stored, run nothing'),
);

const presetName = values.preset;
const searchSeeds = [...new Set(values.searchSeeds?.length ? values.searchSeeds : [values.searchSeed])];
// One seed reports as before; several add the cross-seed tables and name each search by its seed too.
const multi = searchSeeds.length > 1;
const evalSeeds = values.evalSeeds;
const checkpoints = values.checkpoints;
const out = values.out;
const folder = new RunsFolder(values.runsDir);
const reportOnly = values.reportOnly === true;

const registries = await loadRegistries();
const strategies = parseStrategies(values.strategies, registries);
const strategyOpts = parseStrategyOpts(values.strategyOpt, strategies);
/** Each strategy's config, built by the CLI's path (`tsnas search --preset P --strategy S ...`). */
const searches = strategies.flatMap((strategy) => searchSeeds.map((seed) => {
  const config = runConfigFromFlags(
    {
      preset: presetName,
      strategy,
      strategyOpt: strategyOpts.get(strategy) ?? [],
      seed: String(seed),
      evaluatorOpt: values.evaluatorOpt,
      ...(values.evaluations !== undefined ? { evaluations: String(values.evaluations) } : {}),
      ...(values.workers !== undefined ? { workers: String(values.workers) } : {}),
    },
    registries,
  );
  return { strategy, config, name: RunsFolder.checkName(`${presetName}-${strategy}-s${config.seed}`) };
}));
const base = (searches[0] as (typeof searches)[number]).config;
if (base.space.name !== 'nasfpn' || base.evaluator.name !== 'detection-proxy') throw new ConfigError('--preset', `'${presetName}' must search the nasfpn space with detection-proxy; it has ${base.space.name} / ${base.evaluator.name}`);
const otherSpaceOptions = Object.keys(base.space.options).filter((k) => k !== 'cells');
if (otherSpaceOptions.length) throw new ConfigError('--preset', `the pyramid runs use the default nasfpn space; '${presetName}' sets ${otherSpaceOptions.join(', ')}`);

// The preset's evaluator options (with the flags'), steps and minSteps named as nasfpn-proxy names them.
const evalOptions: Record<string, JsonValue> = { ...base.evaluator.options };
const resolved = resolveOptions('evaluator', registries.evaluators.get('detection-proxy').options, evalOptions) as { steps: number; minSteps: number };
evalOptions.steps = resolved.steps;
evalOptions.minSteps = resolved.minSteps;
const top = resolved.steps;
const reuse = values.reuse.split(',').filter(Boolean);
const runs = new PyramidRuns({ out, evaluatorOptions: evalOptions, rungs: [top], reuse });

const sessions = new SearchSessions(out);
const METRICS: SearchMetrics = { names: DETECTION_METRICS, reward: 'ap', report: 'test_ap' };
const read = (s: PlannedSearch) => readSearch<NasFpnGenotype>(folder, sessions, METRICS, s.strategy, s.name);
type Summary = SearchSummary<NasFpnGenotype>;
/** A search as the tables name it: its strategy, and its seed when there are several. */
const who = (s: { strategy: string; config: { seed: number } }) => (multi ? `${s.strategy} s${s.config.seed}` : s.strategy);

// ---- 1. the searches ----
const stop = interruptible();
if (!reportOnly) await runSearches(searches, { folder, sessions, registries, read }, stop.signal);
stop.searchesDone();

// ---- 2. the searches' summaries ----
const summaries: Summary[] = [];
const missing: { strategy: string; experiment: string }[] = [];
for (const search of searches) {
  const s = await read(search);
  if (s) summaries.push(s);
  else missing.push({ strategy: who(search), experiment: search.name });
}

// ---- 3. the pyramids at the top fidelity, over the evaluation seeds ----
const candidates: { label: string; kind: string; genotype: NasFpnGenotype }[] = [
  ...Object.entries(NAMED_PYRAMIDS).map(([label, genotype]) => ({ label, kind: 'named', genotype })),
  ...summaries.filter((s) => s.returned).map((s) => ({ label: `${who(s)} (trial ${s.returned?.trial})`, kind: `search:${s.experiment}`, genotype: (s.returned as Returned<NasFpnGenotype>).genotype })),
];
if (!reportOnly && !stop.signal.aborted) {
  const jobs: PyramidJob[] = candidates.flatMap((c) => Array.from({ length: evalSeeds }, (_, seed) => ({ ...c, seed })));
  await runs.run(jobs, values.workers ?? 0);
}

// ---- report ----
const pyramids = candidates.map((c) => {
  const key = runs.keyOf(c.genotype);
  const rows = runs.rowsOf(key, evalSeeds, top);
  const metric = (m: string) => rows.map((r) => r.metrics[m] as number);
  return {
    label: c.label,
    kind: c.kind,
    key,
    seeds: rows.map((r) => r.seed),
    valAp: metric('ap'),
    testAp: metric('test_ap'),
    params: rows[0]?.metrics.params ?? null,
    flops: rows[0]?.metrics.flops ?? null,
    // Every metric (AP50, APs/m/l, images/s, ...), mean ± std, for report.json.
    metrics: Object.fromEntries(DETECTION_METRICS.map((m) => [m, summarize(metric(m))])),
  };
});
const fpn = pyramids.find((p) => p.label === 'fpn')?.testAp ?? [];
const stat = (xs: number[]) => ({ ...summarize(xs), values: xs });

const lines: string[] = [
  `preset ${presetName} (${PRESETS[presetName]?.description}); search seed${multi ? `s ${searchSeeds.join(', ')}` : ` ${base.seed}`}; budget ${base.budget.evaluations ?? '—'} evaluations`,
  `pyramids: detection-proxy ${runs.options} at ${top} steps; seeds deriveSeed(s, 0), s = 0..${evalSeeds - 1} (as nasfpn-proxy)`,
  '',
  `pyramids @${top} steps, mean ± std over ${evalSeeds} seeds; p: Welch vs fpn on test AP`,
  '',
  '| pyramid | val AP | test AP | p vs fpn | params | GFLOPs/img |',
  '|---|---|---|---|---|---|',
  ...pyramids.map((p) => `| ${p.label} | ${meanStd(p.valAp, 4, evalSeeds)} | ${meanStd(p.testAp, 4, evalSeeds)} | ${p.label === 'fpn' ? '' : pText(welchP(p.testAp, fpn))} | ${p.params ?? ''} | ${p.flops === null ? '' : (p.flops / 1e9).toFixed(3)} |`),
  '',
  'searches (search s: the engine\'s search time; wall s: the sessions, top-k included; returned: the top-k re-evaluation\'s best mean, else the best trial)',
  '',
  '| strategy | options | evaluations | trials (cached, failed) | search s | wall s | returned | search reward | top-k val AP | top-k test AP |',
  '|---|---|---|---|---|---|---|---|---|---|',
];
for (const s of summaries) {
  const r = s.returned;
  const re = r?.by === 'top-k' ? s.topK[0] : undefined;
  lines.push(
    `| ${who(s)}${s.finished ? '' : ' (unfinished)'} | ${JSON.stringify(s.config.strategy.options)} | ${s.evaluations}${s.budget !== null ? `/${s.budget}` : ''} | ${s.trials} (${s.cached}, ${s.failed}) | ${s.searchSeconds.toFixed(0)} | ${s.wallSeconds.toFixed(0)} | ${r ? `trial ${r.trial} (${r.by})` : '—'} | ${r ? `${fixed(r.searchReward, 4)}${r.resource !== null ? ` @${r.resource}` : ''}` : '—'} | ${re ? plusMinus(re.reward, 4) : '—'} | ${re ? plusMinus(re.report, 4) : '—'} |`,
  );
}
for (const m of missing) lines.push(`| ${m.strategy} | not run (no ${m.experiment} in ${folder.dir}) | | | | | | | | |`);
lines.push('');
for (const s of summaries) {
  if (s.returned) lines.push(`- ${who(s)}: returned \`${s.returned.key}\``);
  // Trial t of search seed S trained with deriveSeed(S, t): trial 0's is evaluation seed S's.
  if (s.returned?.trial === 0 && s.config.seed < evalSeeds) lines.push(`  (trial 0 trained in the search with evaluation seed ${s.config.seed}'s seed: that run repeats its search run)`);
  if (s.topK.length) lines.push(`  top-${s.topK.length} over ${s.topKSeeds} seeds (val AP): ${s.topK.map((c) => `trial ${c.trial} ${plusMinus(c.reward, 4)} (${c.runs.length} runs; search ${fixed(c.searchReward, 4)})`).join('; ')}`);
}

// The best-so-far curve at a few evaluation counts: the point after the last rung finished within that many evaluations.
const at = (s: Summary, n: number) => [...s.curve].reverse().find((p) => p.evaluations <= n);
const cell = (p: CurvePoint | undefined) => (p && p.bestReward !== null ? `${fixed(p.bestReward, 4)}${p.bestResource !== null ? ` @${p.bestResource}` : ''} (trial ${p.bestTrial}, ${p.seconds.toFixed(0)} s)` : '—');
lines.push(
  '',
  'best-so-far reward (the best among the trials at the highest rung reached; trial, search seconds) after N evaluations started',
  '',
  `| strategy | ${checkpoints.map((n) => `@${n}`).join(' | ')} | all |`,
  `|---|${checkpoints.map(() => '---').join('|')}|---|`,
  ...summaries.map((s) => `| ${who(s)} | ${checkpoints.map((n) => (n <= s.evaluations ? cell(at(s, n)) : '—')).join(' | ')} | ${cell(s.curve[s.curve.length - 1])} (${s.evaluations} evaluations) |`),
);

// Over several search seeds: each strategy's returned pyramids (a seed's sample: its mean test AP over the eval seeds) and its curve band.
const byStrategy = multi ? strategySamples(strategies, summaries, (experiment) => pyramids.find((p) => p.kind === `search:${experiment}`)?.testAp ?? []) : [];
const bands = multi ? strategyBands(strategies, summaries) : [];
if (multi) {
  lines.push(
    '',
    "strategies over the search seeds: the returned pyramids' test AP (each seed's sample: its pyramid's mean over the eval seeds); p: Welch vs fpn's eval-seed runs",
    '',
    ...strategyTables(byStrategy, { metric: 'test AP', digits: 4, seeds: searchSeeds.length, baseline: { label: 'fpn', values: fpn } }),
    '',
    'best-so-far search reward after N evaluations started: mean [95% t-interval] over the search seeds (n); OUT/curves.csv has every count',
    '',
    ...bandTable(bands, checkpoints, 4),
  );
}

const report = lines.join('\n');
console.log(report);
writeFileSync(join(out, 'report.md'), report + '\n');
if (multi) writeFileSync(join(out, 'curves.csv'), bandsCsv(bands));
for (const s of summaries) writeFileSync(join(out, `curve-${multi ? `${s.strategy}-s${s.config.seed}` : s.strategy}.csv`), curveCsv(s.curve));
writeFileSync(
  join(out, 'report.json'),
  JSON.stringify(
    {
      preset: presetName,
      searchSeed: base.seed,
      evalSeeds,
      evaluatorOptions: evalOptions,
      steps: top,
      pyramids: pyramids.map((p) => ({ ...p, valAp: stat(p.valAp), testAp: stat(p.testAp), pVsFpn: p.label === 'fpn' ? null : welchP(p.testAp, fpn) })),
      searches: summaries,
      notRun: missing,
      ...(multi ? { searchSeeds, strategies: byStrategy.map((s) => ({ ...s, testAp: summarize(s.values), pVsFpn: welchP(s.values, fpn) })), bands } : {}),
    },
    null,
    2,
  ) + '\n',
);
