import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, ReportedError } from '../../core/errors.js';
import { normalizeFlagOptions } from '../../core/options.js';
import { benchCsv, benchMarkdown } from '../../bench/report.js';
import { runBench, type BenchEntry } from '../../bench/tabular-bench.js';
import { atCheckpoints, benchHtml, reportCheckpoints } from '../../report/bench-html.js';
import type { JsonValue } from '../../core/json.js';
import { collect, intFlag, parseKeyStrings } from '../kv.js';
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
  const options = new Map<string, Record<string, JsonValue>>(labels.map((l) => [l, {}]));
  for (const opt of opts) {
    const dot = opt.indexOf('.');
    const label = opt.slice(0, dot);
    if (dot <= 0 || !options.has(label)) throw new ConfigError('--strategy-opt', `expected <label>.<key>=<value> with a label of --strategies (${labels.join(', ')}), got '${opt}'`);
    Object.assign(options.get(label) as object, parseKeyStrings('--strategy-opt', [opt.slice(dot + 1)]));
  }
  return entries.map((e) => ({ label: e.label, strategy: { name: e.name, options: options.get(e.label) ?? {} } }));
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
    .option('--report', 'also write report.html: best-so-far curves with 95% bands and the pairwise tests, one HTML file that opens offline')
    .option('--quiet', 'no progress output')
    .action(async (flags: Flags) => {
      const registries = await loadRegistries(flags.plugin);
      // Options typed as flags are coerced by each strategy's spec, so bench.json records them typed.
      const entries = parseEntries(flags.strategies, flags.strategyOpt).map((e) => ({
        ...e,
        strategy: { ...e.strategy, options: normalizeFlagOptions(e.strategy.name, registries.strategies.get(e.strategy.name).options, e.strategy.options as Record<string, string>) },
      }));
      const evaluations = intFlag('--evaluations', flags.evaluations) as number;
      const seeds = intFlag('--seeds', flags.seeds) as number;
      if (evaluations < 1 || seeds < 1) throw new ConfigError(evaluations < 1 ? '--evaluations' : '--seeds', 'must be at least 1');
      const checkpoints = flags.checkpoints
        ? flags.checkpoints.split(',').map((c) => intFlag('--checkpoints', c.trim()) as number)
        : [...new Set([25, 50, 100].filter((c) => c < evaluations).concat(evaluations))];
      if (checkpoints.some((c) => c < 1 || c > evaluations)) throw new ConfigError('--checkpoints', `each checkpoint must be in 1..${evaluations}`);
      const space = flags.space ?? DEFAULT_SPACE;
      const config = {
        entries,
        space: { name: space, options: parseKeyStrings('--space-opt', flags.spaceOpt) },
        evaluator: { name: flags.evaluator ?? defaultEvaluator(registries, space), options: parseKeyStrings('--evaluator-opt', flags.evaluatorOpt) },
        ...(flags.reward !== undefined ? { reward: flags.reward } : {}),
        seeds,
        seedStart: intFlag('--seed-start', flags.seedStart) as number,
        evaluations,
        // A report's curves need more points than the tables: run at a grid too, show the tables at the asked ones.
        checkpoints: flags.report ? reportCheckpoints(checkpoints, evaluations) : checkpoints,
        plugins: flags.plugin ?? [],
      };
      const total = entries.length * seeds;
      const bar = !flags.quiet && process.stderr.isTTY ? new cliProgress.SingleBar({ format: 'bench [{bar}] {value}/{total} runs | {label}', stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
      bar?.start(total, 0, { label: '' });
      const full = await runBench(config, registries, (run) => {
        bar?.increment({ label: `${run.label} seed ${run.seed}` });
        if ('error' in run) process.stderr.write(`${bar ? '\n' : ''}tsnas: bench: ${run.label} seed ${run.seed} failed: ${run.error.replace(/\s*\n\s*/g, ' ')}\n`);
      });
      const result = atCheckpoints(full, checkpoints);
      bar?.stop();
      const out = resolve(flags.out);
      mkdirSync(out, { recursive: true });
      const md = benchMarkdown(result);
      writeFileSync(join(out, 'bench.json'), JSON.stringify(result, null, 2));
      writeFileSync(join(out, 'bench.csv'), benchCsv(result));
      writeFileSync(join(out, 'bench.md'), md + '\n');
      if (flags.report) writeFileSync(join(out, 'report.html'), benchHtml(full));
      process.stdout.write(`${md}\n\nwrote ${join(out, flags.report ? 'bench.{json,csv,md} and report.html' : 'bench.{json,csv,md}')}\n`);
      // The other runs are written; the exit status still says the bench is incomplete.
      if (full.failures.length) throw new ReportedError(`${full.failures.length} bench runs failed`);
    });
}
