import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, ReportedError } from '../../core/errors.js';
import { normalizeFlagOptions } from '../../core/options.js';
import { benchCsv, benchMarkdown } from '../../bench/report.js';
import { summarizeBench, type BenchRecords } from '../../bench/bench-summary.js';
import { mergeBenchShards, readBenchShard } from '../../bench/merge-shards.js';
import { runBench, type BenchEntry } from '../../bench/tabular-bench.js';
import { WORKERS_PER_CORE } from '../../engine/executor-config.js';
import { benchHtml, reportCheckpoints } from '../../report/bench-html.js';
import { collect, intFlag, labelledPairs, parseKeyStrings } from '../kv.js';
import { loadRegistries } from '../../wiring/registries.js';
import { DEFAULT_SPACE, defaultEvaluator, type ProblemFlags } from '../run-config-flags.js';
import { addProblemOptions } from './search.js';

interface Flags extends ProblemFlags {
  strategies: string;
  strategyOpt?: string[];
  seeds: string;
  seedStart: string;
  evaluations: string;
  checkpoints?: string;
  out: string;
  quiet?: boolean;
  report?: boolean;
  workers: string;
  merge?: string[];
}

/** Options that a merge takes from its shards' bench.json instead. */
const RUN_ONLY = ['strategies', 'strategyOpt', 'seeds', 'seedStart', 'evaluations', 'checkpoints', 'workers', 'space', 'spaceOpt', 'evaluator', 'evaluatorOpt', 'reward', 'plugin'];

/** Writes bench.json/csv/md (at the config's checkpoints) and, if asked, report.html (at a finer grid, from the traces). */
function writeBench(outFlag: string, records: BenchRecords, report: boolean): void {
  const result = summarizeBench(records);
  const out = resolve(outFlag);
  mkdirSync(out, { recursive: true });
  const md = benchMarkdown(result);
  writeFileSync(join(out, 'bench.json'), JSON.stringify(result, null, 2));
  writeFileSync(join(out, 'bench.csv'), benchCsv(result));
  writeFileSync(join(out, 'bench.md'), md + '\n');
  if (report) writeFileSync(join(out, 'report.html'), benchHtml(summarizeBench(records, reportCheckpoints(records.config.checkpoints, records.config.evaluations))));
  process.stdout.write(`${md}\n\nwrote ${join(out, report ? 'bench.{json,csv,md} and report.html' : 'bench.{json,csv,md}')}\n`);
}

/** `label=name` or `name` entries; `label.key=value` options. */
export function parseEntries(list: string, opts: readonly string[] = []): BenchEntry[] {
  const entries = list.split(',').map((item) => item.trim()).filter(Boolean).map((item) => {
    const [label, name] = item.includes('=') ? (item.split('=', 2) as [string, string]) : [item, item];
    return { label: label.trim(), name: name.trim() };
  });
  if (entries.length === 0) throw new ConfigError('--strategies', 'name at least one strategy');
  const labels = entries.map((e) => e.label);
  const dup = labels.find((l, i) => labels.indexOf(l) !== i);
  if (dup) throw new ConfigError('--strategies', `label '${dup}' appears twice; give distinct labels as label=strategy`);
  const options = labelledPairs('--strategy-opt', opts, labels);
  return entries.map((e) => ({ label: e.label, strategy: { name: e.name, options: parseKeyStrings('--strategy-opt', options.get(e.label)) } }));
}

export function registerBench(program: Command): void {
  const cmd = program
    .command('bench')
    .description('compare strategies over many seeds on a (tabular) evaluator; prints mean ± std and 95% CIs, writes CSV/JSON/Markdown')
    .option('--strategies <list>', 'comma-separated strategies, each name or label=name', 'random,evolution')
    .option('--strategy-opt <label.key=value>', 'option of one strategy entry, e.g. evolution.population=20 (repeatable)', collect);
  addProblemOptions(cmd)
    .option('--seeds <n>', 'runs per strategy', '100')
    .option('--seed-start <n>', 'first seed', '0')
    .option('--evaluations <n>', 'budget per run in evaluations', '150')
    .option('--checkpoints <list>', 'budgets at which best-so-far is reported (default 25,50,100 and the budget)')
    .option('--out <dir>', 'folder for bench.json, bench.csv and bench.md', 'bench-out')
    .option('--workers <n>', `(strategy, seed) runs at once, each in a worker thread (1: one after the other in this thread; at most ${WORKERS_PER_CORE} per core)`, '1')
    .option('--merge <dirs...>', 'merge the bench.json of runs of one config over disjoint seed ranges (folders or files) into --out, instead of running')
    .option('--report', 'also write report.html: best-so-far curves with 95% bands and the pairwise tests, one HTML file that opens offline')
    .option('--quiet', 'no progress output')
    .action(async (flags: Flags) => {
      if (flags.merge) {
        const given = RUN_ONLY.find((k) => cmd.getOptionValueSource(k) === 'cli');
        if (given) throw new ConfigError('--merge', `takes the config from its shards; drop --${given.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
        const merged = mergeBenchShards(flags.merge.map((d) => readBenchShard(d)));
        writeBench(flags.out, merged, flags.report ?? false);
        if (merged.failures.length) throw new ReportedError(`${merged.failures.length} bench runs failed`);
        return;
      }
      const registries = await loadRegistries(flags.plugin);
      // Options typed as flags are coerced by each strategy's spec, so bench.json records them typed.
      const entries = parseEntries(flags.strategies, flags.strategyOpt).map((e) => ({
        ...e,
        strategy: { ...e.strategy, options: normalizeFlagOptions(e.strategy.name, registries.strategies.get(e.strategy.name).options, e.strategy.options as Record<string, string>) },
      }));
      const evaluations = intFlag('--evaluations', flags.evaluations) as number;
      const seeds = intFlag('--seeds', flags.seeds) as number;
      if (evaluations < 1 || seeds < 1) throw new ConfigError(evaluations < 1 ? '--evaluations' : '--seeds', 'must be at least 1');
      const workers = intFlag('--workers', flags.workers) as number;
      const most = WORKERS_PER_CORE * availableParallelism();
      if (workers < 1 || workers > most) throw new ConfigError('--workers', `expected 1 to ${most} (${WORKERS_PER_CORE} per core), got ${workers}`);
      const checkpoints = flags.checkpoints
        ? flags.checkpoints.split(',').map((c) => intFlag('--checkpoints', c.trim()) as number)
        : [...new Set([25, 50, 100].filter((c) => c < evaluations).concat(evaluations))];
      if (checkpoints.some((c) => c < 1 || c > evaluations)) throw new ConfigError('--checkpoints', `each checkpoint must be in 1..${evaluations}`);
      const space = flags.space ?? DEFAULT_SPACE;
      // Typed as each component's spec reads them, so bench.json records 0.5, not '0.5', and shards compare by value.
      const evaluator = flags.evaluator ?? defaultEvaluator(registries, space);
      const config = {
        entries,
        space: { name: space, options: normalizeFlagOptions(space, registries.spaces.get(space).options, parseKeyStrings('--space-opt', flags.spaceOpt)) },
        evaluator: { name: evaluator, options: normalizeFlagOptions(evaluator, registries.evaluators.get(evaluator).options, parseKeyStrings('--evaluator-opt', flags.evaluatorOpt)) },
        ...(flags.reward !== undefined ? { reward: flags.reward } : {}),
        seeds,
        seedStart: intFlag('--seed-start', flags.seedStart) as number,
        evaluations,
        checkpoints,
        plugins: flags.plugin ?? [],
      };
      const total = entries.length * seeds;
      const bar = !flags.quiet && process.stderr.isTTY ? new cliProgress.SingleBar({ format: 'bench [{bar}] {value}/{total} runs | {label}', stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
      bar?.start(total, 0, { label: '' });
      const full = await runBench(config, registries, {
        workers,
        onRun: (run) => {
          bar?.increment({ label: `${run.label} seed ${run.seed}` });
          if ('error' in run) process.stderr.write(`${bar ? '\n' : ''}tsnas: bench: ${run.label} seed ${run.seed} failed: ${run.error.replace(/\s*\n\s*/g, ' ')}\n`);
        },
      });
      bar?.stop();
      writeBench(flags.out, full, flags.report ?? false);
      // The other runs are written; the exit status still says the bench is incomplete.
      if (full.failures.length) throw new ReportedError(`${full.failures.length} bench runs failed`);
    });
}
