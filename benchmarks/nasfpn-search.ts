/**
 * The search-result benchmark: runs one NAS-FPN search preset (src/cli/presets.ts) with several
 * strategies on the same budget, then trains each search's returned pyramid (its top-k re-evaluation's
 * best, else its best trial) and the named pyramids at the evaluator's top fidelity over --eval-seeds
 * seeds and compares them on the test split.
 *
 *   node dist/benchmarks/nasfpn-search.js [--preset nasfpn-1h] [--strategies evolution,random,ppo]
 *        [--search-seed 0] [--eval-seeds 5] [--runs-dir runs] [--out bench-out/nasfpn-search]
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
 * without the time between them.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collect } from '../src/cli/kv.js';
import { PRESETS } from '../src/cli/presets.js';
import { loadRegistries } from '../src/wiring/registries.js';
import { attachProgress } from '../src/cli/progress.js';
import { runConfigFromFlags } from '../src/cli/run-config-flags.js';
import { ConfigError } from '../src/core/errors.js';
import type { Executor } from '../src/core/executor.js';
import type { JsonValue } from '../src/core/json.js';
import { resolveOptions } from '../src/core/options.js';
import type { RungRecord, TrialRecord } from '../src/core/trial.js';
import { bestTrial } from '../src/engine/best-trial.js';
import { identityOf, type RunConfig } from '../src/engine/config.js';
import { reevaluateTop, topCandidates, type ReevaluatedCandidate } from '../src/engine/reevaluate.js';
import { runSearch } from '../src/wiring/run-search.js';
import { DETECTION_METRICS } from '../src/evaluators/proxy/detection-evaluator.js';
import { RewardExpression } from '../src/engine/reward.js';
import { NAMED_PYRAMIDS, type NasFpnGenotype } from '../src/spaces/nasfpn/index.js';
import { summarize, welchTTest } from '../src/stats/summary.js';
import { RunsFolder } from '../src/store/runs-folder.js';
import { benchmarkCommand, int, numList, parseBenchmark } from './lib/command.js';
import { PyramidRuns, pyramidKey, type PyramidJob } from './lib/pyramid-runs.js';

interface Options {
  preset: string;
  strategies: string;
  searchSeed: number;
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
const strategies = values.strategies.split(',').map((s) => s.trim()).filter(Boolean);
if (new Set(strategies).size !== strategies.length) throw new ConfigError('--strategies', `a strategy is listed twice: ${values.strategies}`);
const evalSeeds = values.evalSeeds;
const checkpoints = values.checkpoints;
const out = values.out;
const folder = new RunsFolder(values.runsDir);
const reportOnly = values.reportOnly === true;

const registries = await loadRegistries();
for (const s of strategies) registries.strategies.get(s); // an unknown name fails here, before any search
/** `--strategy-opt hybrid.population=12` -> { hybrid: ['population=12'] }; a strategy not listed is refused. */
const strategyOpts = new Map<string, string[]>();
for (const o of values.strategyOpt) {
  const at = o.indexOf('.'); // as `tsnas bench --strategy-opt` spells it
  const s = o.slice(0, at);
  if (at < 1 || !strategies.includes(s)) throw new ConfigError('--strategy-opt', `'${o}' must be STRATEGY.KEY=VALUE with a listed strategy (${strategies.join(', ')})`);
  strategyOpts.set(s, [...(strategyOpts.get(s) ?? []), o.slice(at + 1)]);
}
/** Each strategy's config, built by the CLI's path (`tsnas search --preset P --strategy S ...`). */
const searches = strategies.map((strategy) => {
  const config = runConfigFromFlags(
    {
      preset: presetName,
      strategy,
      strategyOpt: strategyOpts.get(strategy) ?? [],
      seed: String(values.searchSeed),
      evaluatorOpt: values.evaluatorOpt,
      ...(values.evaluations !== undefined ? { evaluations: String(values.evaluations) } : {}),
      ...(values.workers !== undefined ? { workers: String(values.workers) } : {}),
    },
    registries,
  );
  return { strategy, config, name: RunsFolder.checkName(`${presetName}-${strategy}-s${config.seed}`) };
});
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

// ---- sessions: when this benchmark ran each experiment (the curve's clock skips the time between) ----
const sessionsLog = join(out, 'sessions.jsonl');
type SessionLine = { experiment: string; start?: number; topK?: number; end?: number };
const logSession = (line: SessionLine) => appendFileSync(sessionsLog, JSON.stringify(line) + '\n');
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The sessions an experiment ran in: `search(t)`, the seconds of search (each session up to its top-k
 * re-evaluation) before epoch ms `t`; `wall`, the sessions' seconds in all.
 */
function sessionClock(name: string, createdAt: number, events: readonly number[]): { search: (t: number) => number; wall: number } {
  const lines = existsSync(sessionsLog) ? readFileSync(sessionsLog, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as SessionLine) : [];
  const sessions: { start: number; topK?: number; end?: number }[] = [];
  for (const l of lines.filter((x) => x.experiment === name)) {
    const last = sessions[sessions.length - 1];
    if (l.start !== undefined) sessions.push({ start: l.start });
    else if (last && last.end === undefined) Object.assign(last, l.topK !== undefined ? { topK: l.topK } : { end: l.end });
  }
  // A search begun elsewhere (tsnas search): one session from its creation to the first of ours.
  if (!sessions.length || createdAt < sessions[0]!.start) sessions.unshift({ start: createdAt });
  // A session killed before it logged its end ended with its last event.
  const closed = sessions.map((s, i) => {
    const next = sessions[i + 1]?.start ?? Infinity;
    const end = s.end ?? Math.max(s.start, ...events.filter((e) => e >= s.start && e < next));
    return { start: s.start, end, searchEnd: s.topK ?? end };
  });
  return {
    search: (t) => closed.reduce((sum, s) => sum + Math.max(0, Math.min(t, s.searchEnd) - s.start), 0) / 1000,
    wall: closed.reduce((sum, s) => sum + (s.end - s.start), 0) / 1000,
  };
}

// ---- what a search returned, read from its store (also for resumed and unfinished searches) ----
interface CurvePoint {
  /** Trials started (the budget's count) before the rung finished. */
  readonly evaluations: number;
  /** Rungs finished so far. */
  readonly rungs: number;
  readonly seconds: number;
  readonly trial: number;
  readonly resource: number | null;
  readonly bestTrial: number | null;
  readonly bestResource: number | null;
  readonly bestReward: number | null;
}

interface Returned {
  readonly trial: number;
  readonly key: string;
  readonly genotype: NasFpnGenotype;
  readonly resource: number | null;
  readonly searchReward: number;
  /** What picked it: the top-k re-evaluation's best mean, or the best trial (no or unfinished top-k). */
  readonly by: 'top-k' | 'best trial';
}

interface SearchSummary {
  readonly strategy: string;
  readonly experiment: string;
  /** The stored run config. */
  readonly config: RunConfig;
  readonly finished: boolean;
  readonly evaluations: number;
  readonly budget: number | null;
  readonly trials: number;
  readonly cached: number;
  readonly failed: number;
  /** The engine's search time (the checkpoint's elapsed time, all sessions). */
  readonly searchSeconds: number;
  /** The sessions' wall time, top-k re-evaluation included. */
  readonly wallSeconds: number;
  readonly topKSeeds: number;
  readonly topK: readonly ReevaluatedCandidate[];
  readonly returned: Returned | null;
  readonly curve: readonly CurvePoint[];
}

/** The best-trial rule replayed over the finished rungs (or, without a scheduler, the finished trials) in the order they finished. */
function bestSoFar(trials: readonly TrialRecord[], rungs: readonly RungRecord[], clock: (t: number) => number): CurvePoint[] {
  const starts = trials.filter((t) => t.status !== 'cached').map((t) => t.startedAt).sort((a, b) => a - b);
  const finished = rungs.length
    ? rungs.map((r) => ({ trial: r.trial, resource: r.resource as number | undefined, reward: r.reward, failed: r.error !== null, at: r.finishedAt }))
    : trials
        .filter((t) => t.finishedAt !== null && (t.status === 'complete' || t.status === 'failed'))
        .map((t) => ({ trial: t.number, resource: t.resource, reward: t.reward, failed: t.status === 'failed', at: t.finishedAt as number }));
  finished.sort((a, b) => a.at - b.at || a.trial - b.trial || (a.resource ?? 0) - (b.resource ?? 0));
  const latest = new Map<number, TrialRecord>();
  const points: CurvePoint[] = [];
  let started = 0;
  for (const e of finished) {
    // Only the fields the best-trial rule reads: a failed rung fails its trial.
    latest.set(e.trial, { number: e.trial, status: e.failed ? 'failed' : 'complete', reward: e.reward, ...(e.resource !== undefined ? { resource: e.resource } : {}) } as TrialRecord);
    while (started < starts.length && (starts[started] as number) < e.at) started++;
    const best = bestTrial(latest.values());
    points.push({ evaluations: started, rungs: points.length + 1, seconds: clock(e.at), trial: e.trial, resource: e.resource ?? null, bestTrial: best?.number ?? null, bestResource: best?.resource ?? null, bestReward: best?.reward ?? null });
  }
  return points;
}

/** Runs nothing: the summary reads the top-k re-evaluation's stored runs (reevaluateTop with an aborted signal starts none). */
const NO_RUNS: Executor = { capacity: 1, run: () => Promise.reject(new Error('the report runs nothing')), close: async () => undefined };

async function readSearch(strategy: string, name: string): Promise<SearchSummary | null> {
  if (!folder.exists(name)) return null;
  const store = folder.read(name);
  try {
    const config = store.meta()?.config as unknown as RunConfig;
    const trials = store.trials();
    const rungs = store.rungs();
    const ck = store.checkpoint();
    const evaluations = trials.filter((t) => t.status !== 'cached').length;
    const rk = config.reevaluate;
    const topK = rk
      ? await reevaluateTop(topCandidates(trials, rk.top), rk, {
          executor: NO_RUNS,
          reward: new RewardExpression(config.reward ?? 'ap', DETECTION_METRICS),
          reportMetric: 'test_ap',
          experimentSeed: config.seed,
          log: { reevaluations: () => store.reevaluations(), putReevaluation: () => undefined },
          signal: AbortSignal.abort(),
        })
      : [];
    const budget = config.budget.evaluations ?? null;
    const topKDone = topK.length > 0 && topK.every((c) => c.runs.length === rk?.seeds) && Number.isFinite(topK[0]?.reward.mean);
    const searchDone = (budget === null || evaluations >= budget) && !ck?.running?.length && !trials.some((t) => t.status === 'running');
    const best = bestTrial(trials);
    const pick = topKDone ? trials.find((t) => t.number === topK[0]?.trial) : best;
    const returned: Returned | null = pick
      ? { trial: pick.number, key: pick.key, genotype: pick.genotype as unknown as NasFpnGenotype, resource: pick.resource ?? null, searchReward: pick.reward as number, by: topKDone ? 'top-k' : 'best trial' }
      : null;
    const events = [...trials.flatMap((t) => [t.startedAt, t.finishedAt ?? t.startedAt]), ...rungs.map((r) => r.finishedAt), ...store.reevaluations().map((r) => r.finishedAt)];
    const clock = sessionClock(name, store.meta()?.createdAt ?? Math.min(...events), events);
    return {
      strategy,
      experiment: name,
      config,
      finished: searchDone && (!rk || topKDone),
      evaluations,
      budget,
      trials: trials.length,
      cached: trials.filter((t) => t.status === 'cached').length,
      failed: trials.filter((t) => t.status === 'failed').length,
      searchSeconds: (ck?.elapsedMs ?? 0) / 1000,
      wallSeconds: clock.wall,
      topKSeeds: rk?.seeds ?? 0,
      topK,
      returned,
      curve: bestSoFar(trials, rungs, clock.search),
    };
  } finally {
    store.close();
  }
}

// ---- 1. the searches ----
const controller = new AbortController();
let phase: 'search' | 'pyramids' = 'search';
process.on('SIGINT', () => {
  // Pyramid rows are appended as they finish: quitting loses only the runs in flight.
  if (controller.signal.aborted || phase === 'pyramids') process.exit(130);
  process.stderr.write('\nstopping: no new trials; waiting for running ones (Ctrl-C again to quit now); a rerun resumes\n');
  controller.abort();
});

if (!reportOnly) {
  for (const { strategy, config, name } of searches) {
    if (controller.signal.aborted) break;
    const stored = await readSearch(strategy, name);
    if (stored?.finished && identityOf(stored.config) === identityOf(config) && same(stored.config.budget, config.budget) && same(stored.config.reevaluate, config.reevaluate)) {
      process.stderr.write(`== ${name}: finished (${folder.pathOf(name)}), not run again\n`);
      continue;
    }
    const resumed = stored !== null;
    process.stderr.write(`== ${name}: ${resumed ? 'resuming' : 'starting'} ${strategy} ${JSON.stringify(config.strategy.options)}, ${config.budget.evaluations} evaluations (${folder.pathOf(name)})\n`);
    const store = folder.open(name);
    logSession({ experiment: name, start: Date.now() });
    let stopProgress = () => undefined as void;
    try {
      await runSearch(config, {
        name,
        store,
        registries,
        signal: controller.signal,
        onEngine: (engine) => {
          stopProgress = attachProgress(engine, config.budget.evaluations ?? Infinity);
        },
        onReevaluate: (trials, seeds) => {
          stopProgress();
          logSession({ experiment: name, topK: Date.now() });
          process.stderr.write(`${name}: re-evaluating the top ${trials.length} (trials ${trials.join(', ')}) over ${seeds} seeds\n`);
        },
      });
    } finally {
      stopProgress();
      store.close();
      logSession({ experiment: name, end: Date.now() });
    }
  }
}

// ---- 2. the searches' summaries ----
const summaries: SearchSummary[] = [];
const missing: { strategy: string; experiment: string }[] = [];
for (const { strategy, name } of searches) {
  const s = await readSearch(strategy, name);
  if (s) summaries.push(s);
  else missing.push({ strategy, experiment: name });
}

// ---- 3. the pyramids at the top fidelity, over the evaluation seeds ----
const candidates: { label: string; kind: string; genotype: NasFpnGenotype }[] = [
  ...Object.entries(NAMED_PYRAMIDS).map(([label, genotype]) => ({ label, kind: 'named', genotype })),
  ...summaries.filter((s) => s.returned).map((s) => ({ label: `${s.strategy} (trial ${s.returned?.trial})`, kind: `search:${s.experiment}`, genotype: (s.returned as Returned).genotype })),
];
if (!reportOnly && !controller.signal.aborted) {
  phase = 'pyramids';
  const jobs: PyramidJob[] = candidates.flatMap((c) => Array.from({ length: evalSeeds }, (_, seed) => ({ ...c, seed })));
  await runs.run(jobs, values.workers ?? 0);
}

// ---- report ----
const pyramids = candidates.map((c) => {
  const key = pyramidKey(c.genotype);
  const rows = Array.from({ length: evalSeeds }, (_, s) => runs.get(key, s, top)).filter((r) => r !== undefined);
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
const pVsFpn = (xs: number[]) => (xs.length > 1 && fpn.length > 1 ? welchTTest(xs, fpn).p : null);
const stat = (xs: number[]) => ({ ...summarize(xs), values: xs });
const f4 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(4));
const pm = (s: { mean: number; std: number }) => (Number.isFinite(s.mean) ? `${s.mean.toFixed(4)} ± ${s.std.toFixed(4)}` : '—');
const pmOf = (xs: number[]) => (xs.length ? `${pm(summarize(xs))}${xs.length < evalSeeds ? ` (${xs.length} seeds)` : ''}` : '—');

const lines: string[] = [
  `preset ${presetName} (${PRESETS[presetName]?.description}); search seed ${base.seed}; budget ${base.budget.evaluations ?? '—'} evaluations`,
  `pyramids: detection-proxy ${runs.options} at ${top} steps; seeds deriveSeed(s, 0), s = 0..${evalSeeds - 1} (as nasfpn-proxy)`,
  '',
  `pyramids @${top} steps, mean ± std over ${evalSeeds} seeds; p: Welch vs fpn on test AP`,
  '',
  '| pyramid | val AP | test AP | p vs fpn | params | GFLOPs/img |',
  '|---|---|---|---|---|---|',
  ...pyramids.map((p) => {
    const pv = p.label === 'fpn' ? null : pVsFpn(p.testAp);
    return `| ${p.label} | ${pmOf(p.valAp)} | ${pmOf(p.testAp)} | ${pv === null ? '' : pv.toExponential(1)} | ${p.params ?? ''} | ${p.flops === null ? '' : (p.flops / 1e9).toFixed(3)} |`;
  }),
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
    `| ${s.strategy}${s.finished ? '' : ' (unfinished)'} | ${JSON.stringify(s.config.strategy.options)} | ${s.evaluations}${s.budget !== null ? `/${s.budget}` : ''} | ${s.trials} (${s.cached}, ${s.failed}) | ${s.searchSeconds.toFixed(0)} | ${s.wallSeconds.toFixed(0)} | ${r ? `trial ${r.trial} (${r.by})` : '—'} | ${r ? `${f4(r.searchReward)}${r.resource !== null ? ` @${r.resource}` : ''}` : '—'} | ${re ? pm(re.reward) : '—'} | ${re ? pm(re.report) : '—'} |`,
  );
}
for (const m of missing) lines.push(`| ${m.strategy} | not run (no ${m.experiment} in ${folder.dir}) | | | | | | | | |`);
lines.push('');
for (const s of summaries) {
  if (s.returned) lines.push(`- ${s.strategy}: returned \`${s.returned.key}\``);
  // Trial t of search seed S trained with deriveSeed(S, t): trial 0's is evaluation seed S's.
  if (s.returned?.trial === 0 && s.config.seed < evalSeeds) lines.push(`  (trial 0 trained in the search with evaluation seed ${s.config.seed}'s seed: that run repeats its search run)`);
  if (s.topK.length) lines.push(`  top-${s.topK.length} over ${s.topKSeeds} seeds (val AP): ${s.topK.map((c) => `trial ${c.trial} ${pm(c.reward)} (${c.runs.length} runs; search ${f4(c.searchReward)})`).join('; ')}`);
}

// The best-so-far curve at a few evaluation counts: the point after the last rung finished within that many evaluations.
const at = (s: SearchSummary, n: number) => [...s.curve].reverse().find((p) => p.evaluations <= n);
const cell = (p: CurvePoint | undefined) => (p && p.bestReward !== null ? `${f4(p.bestReward)}${p.bestResource !== null ? ` @${p.bestResource}` : ''} (trial ${p.bestTrial}, ${p.seconds.toFixed(0)} s)` : '—');
lines.push(
  '',
  'best-so-far reward (the best among the trials at the highest rung reached; trial, search seconds) after N evaluations started',
  '',
  `| strategy | ${checkpoints.map((n) => `@${n}`).join(' | ')} | all |`,
  `|---|${checkpoints.map(() => '---').join('|')}|---|`,
  ...summaries.map((s) => `| ${s.strategy} | ${checkpoints.map((n) => (n <= s.evaluations ? cell(at(s, n)) : '—')).join(' | ')} | ${cell(s.curve[s.curve.length - 1])} (${s.evaluations} evaluations) |`),
);

const report = lines.join('\n');
console.log(report);
writeFileSync(join(out, 'report.md'), report + '\n');
for (const s of summaries) {
  const csv = ['evaluations,rungs,seconds,trial,resource,best_trial,best_resource,best_reward', ...s.curve.map((p) => [p.evaluations, p.rungs, p.seconds.toFixed(1), p.trial, p.resource ?? '', p.bestTrial ?? '', p.bestResource ?? '', p.bestReward ?? ''].join(','))];
  writeFileSync(join(out, `curve-${s.strategy}.csv`), csv.join('\n') + '\n');
}
writeFileSync(
  join(out, 'report.json'),
  JSON.stringify(
    {
      preset: presetName,
      searchSeed: base.seed,
      evalSeeds,
      evaluatorOptions: evalOptions,
      steps: top,
      pyramids: pyramids.map((p) => ({ ...p, valAp: stat(p.valAp), testAp: stat(p.testAp), pVsFpn: p.label === 'fpn' ? null : pVsFpn(p.testAp) })),
      searches: summaries,
      notRun: missing,
    },
    null,
    2,
  ) + '\n',
);
