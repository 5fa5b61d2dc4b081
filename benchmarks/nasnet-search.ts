/**
 * The NASNet search benchmark: random, evolution, ppo and hybrid search the NASNet cell space on the
 * Fashion-MNIST proxy (classification-proxy) at one stated budget over several search seeds; each
 * search's returned cells (its top-k re-evaluation's best, else its best trial), NASNet-A and
 * resnet-like are then retrained at the top fidelity over --eval-seeds seeds and compared on the test
 * split. The paper (Zoph et al. 2018, fig. 6) has RL about 1% ahead of random search on CIFAR-10.
 *
 *   node dist/benchmarks/nasnet-search.js [--strategies random,evolution,ppo,hybrid] [--search-seeds 0,1,2]
 *        [--evaluations 32] [--steps 180] [--min-steps 20] [--eta 3] [--filters 4] [--cells 1] [--blocks 5]
 *        [--eval-seeds 3] [--top-k 0] [--workers 2] [--runs-dir runs] [--out bench-out/nasnet-search] [--report-only]
 *
 * Each search is `tsnas search --space nasnet --space-opt blocks=B --evaluator-opt dataset=fashion-mnist
 * --evaluator-opt steps=S --evaluator-opt minSteps=M --evaluator-opt filters=F --evaluator-opt cells=N
 * --scheduler asha --scheduler-opt eta=E --strategy X --seed s --evaluations K`, stored as experiment
 * `<name>-<strategy>-s<seed>` in the runs folder and resumed when it exists (a finished one is not run
 * again), so the benchmark can be stopped (Ctrl-C) and rerun to continue. The retraining runs go through
 * benchmarks/lib/candidate-runs.ts (OUT/runs.jsonl: a rerun skips the rows there).
 *
 * The default budget, from a child's cost measured on this machine in CPU seconds (process.cpuUsage: the
 * machine is shared, so wall time says little; README "NASNet search benchmark"). NASNet-A at F=4, N=1,
 * batch 32 took 10.5 CPU-s for 20 steps and 18.5 for 60 (one process, 500 + 500 images evaluated): a
 * step costs c ≈ 0.2 CPU-s. A smoke run (2 searches of 4 children, rungs 20 / 60, 2 pool workers) took
 * 97.5 CPU-s for 240 steps, 10 evaluations of the 1,000 validation + 1,000 test images and 4 worker
 * start-ups: 0.2 x 240 + 10 e + 4 x 2.5 gives e ≈ 4 CPU-s an evaluation. So a rung of r steps costs
 * about 0.2 r + 4 CPU-s, and with the defaults:
 *   - ASHA rungs 20 / 60 / 180 (eta 3): a child costs (4 + 4) + (8 + 4) / 3 + (24 + 4) / 9 ≈ 15 CPU-s
 *     (20 steps; a third go on for 40 more, a ninth for 120 more), 32 children ≈ 485 CPU-s a search
 *     with its 2 worker start-ups, 12 searches (4 strategies x 3 seeds) ≈ 5,800 CPU-s;
 *   - retraining at 180 steps: 14 cells (12 returned, NASNet-A, resnet-like) x 3 eval seeds = 42 runs
 *     of 0.2 x 180 + 4 ≈ 40 CPU-s ≈ 1,700 CPU-s (fewer where searches return the same cells);
 *   - in all ≈ 7,500 CPU-s: 63 min of 2 idle cores, about 85 min at three quarters of them.
 *
 * The report (stdout, OUT/report.md, OUT/report.json): the cells' val/test accuracy (mean ± std over the
 * eval seeds, Welch p against NASNet-A on test accuracy); per strategy, the returned cells' test accuracy
 * over the search seeds (each seed's sample the mean over the eval seeds), Welch p against NASNet-A and
 * between strategies; each search's summary; the best-so-far search reward per strategy, mean with a 95%
 * t-interval over the search seeds at each evaluation count (OUT/curves.csv; a table at --checkpoints),
 * and each search's own curve (OUT/curve-<strategy>-s<seed>.csv). OUT/cpu.jsonl has the CPU seconds of
 * each session's searches and retraining (process.cpuUsage: pool workers are threads of this process).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collect } from '../src/cli/kv.js';
import { runConfigFromFlags } from '../src/cli/run-config-flags.js';
import { ConfigError } from '../src/core/errors.js';
import type { Metrics } from '../src/core/evaluator.js';
import { CLASSIFICATION_METRICS } from '../src/evaluators/classification/classification-evaluator.js';
import { COMBINES, NAMED_CELLS, NASNET_OPS, NasNetSpace, type NasNetGenotype } from '../src/spaces/nasnet/index.js';
import { summarize } from '../src/stats/summary.js';
import { RunsFolder } from '../src/store/runs-folder.js';
import { loadRegistries } from '../src/wiring/registries.js';
import { CandidateRuns, inlineExecutor, type CandidateJob, type CandidateSpace } from './lib/candidate-runs.js';
import { benchmarkCommand, int, numList, parseBenchmark } from './lib/command.js';
import { SearchSessions } from './lib/search-sessions.js';
import { interruptible, runSearches, type PlannedSearch } from './lib/search-runs.js';
import { parseStrategies, parseStrategyOpts } from './lib/strategy-flags.js';
import { curveCsv, readSearch, type SearchMetrics, type SearchSummary } from './lib/search-summary.js';
import { bandsCsv, fixed, meanStd, pairwise, pText, welchP } from './lib/seed-stats.js';
import { bandTable, strategyBands, strategySamples, strategyTables } from './lib/strategy-tables.js';

interface Options {
  name: string;
  strategies: string;
  searchSeeds: number[];
  evaluations: number;
  steps: number;
  minSteps: number;
  eta: number;
  filters: number;
  cells: number;
  blocks: number;
  dataset: string;
  evaluatorOpt: string[];
  strategyOpt: string[];
  evalSeeds: number;
  topK: number;
  topKSeeds: number;
  workers: number;
  executor: string;
  runsDir: string;
  out: string;
  checkpoints: number[];
  reportOnly?: boolean;
}

const o = parseBenchmark<Options>(
  benchmarkCommand('nasnet-search', "strategies searching the NASNet cells on the Fashion-MNIST proxy at one budget over search seeds; the returned cells, NASNet-A and resnet-like retrained over seeds and compared on the test split")
    .option('--name <prefix>', 'experiments are <prefix>-<strategy>-s<seed>', 'nasnet-fmnist')
    .option('--strategies <list>', 'comma-separated strategies', 'random,evolution,ppo,hybrid')
    .option('--search-seeds <list>', "the searches' seeds", numList(0, true), [0, 1, 2])
    .option('--evaluations <n>', 'children each search evaluates', int(1), 32)
    .option('--steps <n>', "training steps of the top fidelity (ASHA's top rung, and the retraining)", int(1), 180)
    .option('--min-steps <n>', "ASHA's lowest rung", int(1), 20)
    .option('--eta <n>', "ASHA's reduction factor (rungs min-steps x eta^k, then steps)", int(2), 3)
    .option('--filters <n>', "the child's filters (the paper's F)", int(1), 4)
    .option('--cells <n>', "the child's normal cells per stage (the paper's N)", int(1), 1)
    .option('--blocks <n>', 'blocks per searched cell (the paper\'s B)', int(1), 5)
    .option('--dataset <name>', 'classification dataset', 'fashion-mnist')
    .option('--evaluator-opt <key=value>', 'other classification-proxy option, for the searches and the retraining (repeatable)', collect, [])
    .option('--strategy-opt <strategy.key=value>', 'a strategy option over the defaults below (repeatable)', collect, [])
    .option('--eval-seeds <n>', 'seeds each cell is retrained over', int(1), 3)
    .option('--top-k <n>', 'each search re-evaluates its top k over --top-k-seeds seeds (0: it returns its best trial)', int(0), 0)
    .option('--top-k-seeds <n>', 'seeds of the top-k re-evaluation', int(1), 3)
    .option('--workers <n>', 'pool workers (0: one per core)', int(0), 2)
    .option('--executor <name>', 'pool, or inline (one thread, no worker start-up: small runs)', 'pool')
    .option('--runs-dir <dir>', 'where the experiments are stored', 'runs')
    .option('--out <dir>', 'the retraining runs, sessions log, curves and report', 'bench-out/nasnet-search')
    .option('--checkpoints <list>', 'evaluation counts of the curve table', numList(1, true), [8, 16, 32])
    .option('--report-only', 'report what is stored, run nothing'),
);

const seeds = [...new Set(o.searchSeeds)];
if (!seeds.length) throw new ConfigError('--search-seeds', 'give at least one seed');
if (o.executor !== 'pool' && o.executor !== 'inline') throw new ConfigError('--executor', `expected pool or inline, got '${o.executor}'`);
if (o.minSteps > o.steps) throw new ConfigError('--min-steps', `must be <= --steps (${o.steps}), got ${o.minSteps}`);

/**
 * Strategy options scaled to the budget: with their defaults (population 100, controller batch 20)
 * evolution and hybrid would stay random for the whole budget and ppo would make one or two updates.
 * Rewards are percent: ppo scales them to [0, 1] as NASNet's controller saw them.
 */
const STRATEGY_DEFAULTS: Readonly<Record<string, readonly string[]>> = {
  evolution: ['population=12', 'sample=4'],
  hybrid: ['population=12', 'sample=4'],
  ppo: ['batch=8', 'rewardScale=0.01'],
};

const registries = await loadRegistries();
const strategies = parseStrategies(o.strategies, registries);
const given = parseStrategyOpts(o.strategyOpt, strategies);
/** A strategy's options: the defaults above, then --strategy-opt's (the CLI's parser lets a key given later win). */
const strategyOptions = (strategy: string): string[] => [...(STRATEGY_DEFAULTS[strategy] ?? []), ...(given.get(strategy) ?? [])];
const evaluatorOpt = [`dataset=${o.dataset}`, `steps=${o.steps}`, `minSteps=${o.minSteps}`, `filters=${o.filters}`, `cells=${o.cells}`, ...o.evaluatorOpt];
const searches: PlannedSearch[] = strategies.flatMap((strategy) =>
  seeds.map((seed) => {
    const config = runConfigFromFlags(
      {
        space: 'nasnet',
        spaceOpt: [`blocks=${o.blocks}`],
        evaluator: 'classification-proxy',
        evaluatorOpt,
        scheduler: 'asha',
        schedulerOpt: [`eta=${o.eta}`],
        strategy,
        strategyOpt: strategyOptions(strategy),
        seed: String(seed),
        evaluations: String(o.evaluations),
        executor: o.executor,
        ...(o.executor === 'pool' ? { workers: String(o.workers) } : {}),
        ...(o.topK > 0 ? { topK: String(o.topK), topKSeeds: String(o.topKSeeds) } : {}),
      },
      registries,
    );
    return { strategy, config, name: RunsFolder.checkName(`${o.name}-${strategy}-s${seed}`) };
  }),
);
// The retraining runs with the searches' evaluator options, as the CLI resolved them.
const evaluatorOptions = (searches[0] as PlannedSearch).config.evaluator.options;

const space = (blocks: number) => new NasNetSpace({ blocks, ops: NASNET_OPS, combines: COMBINES });
/** Every op and combine allowed: one space per block count checks the named cells and the searched ones alike. */
const CELLS: CandidateSpace<NasNetGenotype> = {
  group: (g) => g.normal.blocks.length,
  space: (blocks) => ({ name: 'nasnet', options: { blocks, ops: NASNET_OPS.join(','), combine: COMBINES.join(',') } }),
  validate: (g) => space(g.normal.blocks.length).validate(g),
  key: (g) => space(g.normal.blocks.length).canonical(g),
  describe: (m: Metrics) => `val_acc ${m.val_acc?.toFixed(1)} test_acc ${m.test_acc?.toFixed(1)}`,
};
const out = o.out;
const runs = new CandidateRuns({ out, space: CELLS, evaluator: 'classification-proxy', evaluatorOptions, rungs: [o.steps], ...(o.executor === 'inline' ? { makeExecutor: inlineExecutor(registries) } : {}) });
const folder = new RunsFolder(o.runsDir);
const sessions = new SearchSessions(out);
const METRICS: SearchMetrics = { names: CLASSIFICATION_METRICS, reward: 'val_acc', report: 'test_acc' };
const read = (s: PlannedSearch) => readSearch<NasNetGenotype>(folder, sessions, METRICS, s.strategy, s.name);

/** Runs `work`, then appends its CPU and wall seconds to OUT/cpu.jsonl. */
async function metered(phase: string, work: () => Promise<void>): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  try {
    await work();
  } finally {
    const c = process.cpuUsage(cpu0);
    appendFileSync(join(out, 'cpu.jsonl'), JSON.stringify({ phase, at: t0, cpuSeconds: (c.user + c.system) / 1e6, wallSeconds: (Date.now() - t0) / 1000 }) + '\n');
  }
}

// ---- 1. the searches, then the cells at the top fidelity over the eval seeds ----
const stop = interruptible();
if (!o.reportOnly) await metered('searches', () => runSearches(searches, { folder, sessions, registries, read }, stop.signal));
stop.searchesDone();

const summaries: SearchSummary<NasNetGenotype>[] = [];
const missing: string[] = [];
for (const s of searches) {
  const summary = await read(s);
  if (summary) summaries.push(summary);
  else missing.push(s.name);
}
const candidates: CandidateJob<NasNetGenotype>[] = [
  ...Object.entries(NAMED_CELLS).map(([label, c]) => ({ label, kind: 'named', genotype: c.genotype, seed: 0 })),
  ...summaries.filter((s) => s.returned).map((s) => ({ label: `${s.strategy} s${s.config.seed} (trial ${s.returned?.trial})`, kind: `search:${s.experiment}`, genotype: s.returned?.genotype as NasNetGenotype, seed: 0 })),
];
const evalSeeds = Array.from({ length: o.evalSeeds }, (_, s) => s);
if (!o.reportOnly && !stop.signal.aborted) {
  await metered('retraining', () => runs.run(candidates.flatMap((c) => evalSeeds.map((seed) => ({ ...c, seed }))), o.workers));
}

// ---- report ----
const cells = candidates.map((c) => {
  const key = runs.keyOf(c.genotype);
  const rows = runs.rowsOf(key, o.evalSeeds, o.steps);
  const metric = (m: string) => rows.map((r) => r.metrics[m] as number);
  return { label: c.label, kind: c.kind, key, seeds: rows.map((r) => r.seed), valAcc: metric('val_acc'), testAcc: metric('test_acc'), params: rows[0]?.metrics.params ?? null, flops: rows[0]?.metrics.flops ?? null };
});
const nasnetA = cells.find((c) => c.label === 'nasnet-a')?.testAcc ?? [];
// A strategy's samples: each search seed's returned cells, its mean test accuracy over the eval seeds.
const byStrategy = strategySamples(strategies, summaries, (experiment) => cells.find((c) => c.kind === `search:${experiment}`)?.testAcc ?? []);
const bands = strategyBands(strategies, summaries);

const lines: string[] = [
  `budget per search: ${o.evaluations} evaluations; ASHA eta ${o.eta}, rungs from ${o.minSteps} to ${o.steps} steps; child F=${o.filters} N=${o.cells}, ${o.blocks} blocks a cell; top-k ${o.topK ? `${o.topK} x ${o.topKSeeds} seeds` : 'off (the best trial is returned)'}`,
  `search seeds ${seeds.join(', ')}; cells retrained at ${o.steps} steps over eval seeds 0..${o.evalSeeds - 1} (deriveSeed(s, 0)); classification-proxy ${runs.options}`,
  '',
  `cells @${o.steps} steps, mean ± std over ${o.evalSeeds} eval seeds (accuracy %); p: Welch vs nasnet-a on test accuracy`,
  '',
  '| cells | val acc | test acc | p vs nasnet-a | params | MFLOPs/img |',
  '|---|---|---|---|---|---|',
  ...cells.map((c) => `| ${c.label} | ${meanStd(c.valAcc, 2, o.evalSeeds)} | ${meanStd(c.testAcc, 2, o.evalSeeds)} | ${c.label === 'nasnet-a' ? '' : pText(welchP(c.testAcc, nasnetA))} | ${c.params ?? ''} | ${c.flops === null ? '' : (c.flops / 1e6).toFixed(2)} |`),
  '',
  "strategies: the returned cells' test accuracy over the search seeds (each seed's sample: its cells' mean over the eval seeds); p: Welch vs nasnet-a's eval-seed runs",
  '',
  ...strategyTables(byStrategy, { metric: 'test acc', digits: 2, seeds: seeds.length, baseline: { label: 'nasnet-a', values: nasnetA } }),
  '',
  "searches (search s: the engine's search time; returned: the top-k re-evaluation's best, else the best trial; reward: val_acc at its rung)",
  '',
  '| experiment | evaluations | trials (cached, failed) | search s | returned | search reward |',
  '|---|---|---|---|---|---|',
  ...summaries.map((s) => `| ${s.experiment}${s.finished ? '' : ' (unfinished)'} | ${s.evaluations}${s.budget !== null ? `/${s.budget}` : ''} | ${s.trials} (${s.cached}, ${s.failed}) | ${s.searchSeconds.toFixed(0)} | ${s.returned ? `trial ${s.returned.trial} (${s.returned.by})` : '—'} | ${s.returned ? `${fixed(s.returned.searchReward, 1)}${s.returned.resource !== null ? ` @${s.returned.resource}` : ''}` : '—'} |`),
  ...missing.map((m) => `| ${m} | not run (not in ${folder.dir}) | | | | |`),
  '',
  'best-so-far search reward (val_acc of the best trial at the highest rung reached) after N evaluations started: mean [95% t-interval] over the search seeds (n)',
  '',
  ...bandTable(bands, o.checkpoints, 1),
  '',
  ...summaries.flatMap((s) => (s.returned ? [`- ${s.experiment}: returned \`${s.returned.key}\``] : [])),
];

const report = lines.join('\n');
console.log(report);
writeFileSync(join(out, 'report.md'), report + '\n');
writeFileSync(join(out, 'curves.csv'), bandsCsv(bands));
for (const s of summaries) writeFileSync(join(out, `curve-${s.strategy}-s${s.config.seed}.csv`), curveCsv(s.curve));
writeFileSync(
  join(out, 'report.json'),
  JSON.stringify(
    {
      budget: { evaluations: o.evaluations, steps: o.steps, minSteps: o.minSteps, eta: o.eta, filters: o.filters, cells: o.cells, blocks: o.blocks, topK: o.topK, topKSeeds: o.topKSeeds },
      searchSeeds: seeds,
      evalSeeds: o.evalSeeds,
      evaluatorOptions,
      cells: cells.map((c) => ({ ...c, pVsNasnetA: c.label === 'nasnet-a' ? null : welchP(c.testAcc, nasnetA) })),
      strategies: byStrategy.map((s) => ({ ...s, testAcc: summarize(s.values), pVsNasnetA: welchP(s.values, nasnetA) })),
      pairwise: pairwise(byStrategy.map((s) => ({ label: s.strategy, values: s.values }))),
      bands,
      searches: summaries,
      notRun: missing,
    },
    null,
    2,
  ) + '\n',
);
