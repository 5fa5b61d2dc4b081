import { Option, type Command } from 'commander';
import { TsnasError } from '../../core/errors.js';
import type { JsonValue } from '../../core/json.js';
import type { ExperimentMeta } from '../../core/store.js';
import type { ComponentConfig, RunConfig } from '../../engine/config.js';
import { checkSameExperiment } from '../../engine/attach-config.js';
import type { Registries } from '../../core/registry.js';
import { BACKEND_CHOICES, initBackend, type BackendChoice } from '../../tensor/index.js';
import type { ExperimentStore } from '../../core/store.js';
import type { Executor } from '../../core/executor.js';
import { runSearch } from '../../wiring/run-search.js';
import { MemoryStore } from '../../store/memory-store.js';
import { RunsFolder } from '../../store/runs-folder.js';
import { DEFAULT_PRESET, preset, PRESETS } from '../presets.js';
import { collect } from '../kv.js';
import { attachProgress } from '../progress.js';
import { queueExecutorFor, queueReady } from '../queue-search.js';
import { checkResumeFlags } from '../resume-flags.js';
import { executorLine, withDefaultExecutor } from '../default-executor.js';
import { formatCell } from '../text-table.js';
import { loadRegistries } from '../../wiring/registries.js';
import { baseConfig, DEFAULT_EVALUATIONS, DEFAULT_SPACE, DEFAULT_STRATEGY, defaultName, finishConfig, mergedPlugins, mergeFlags, type SearchFlags } from '../run-config-flags.js';

/** Prints which tensor backend the evaluations will use (workers pick it by the same rule), for evaluators that run tensors. */
async function reportBackend(registries: Registries, evaluator: ComponentConfig): Promise<void> {
  const factory = registries.evaluators.get(evaluator.name);
  if (!('backend' in factory.options)) return;
  const choice = (evaluator.options.backend ?? 'auto') as BackendChoice;
  const info = await initBackend(choice);
  process.stderr.write(`backend: ${info.name} — ${info.detail}\n`);
}

interface Flags extends SearchFlags {
  backend?: string;
  name?: string;
  runsDir: string;
  memory?: boolean;
  resume?: boolean;
  quiet?: boolean;
  json?: boolean;
  cancelRunning?: boolean;
  redis?: string;
}

export function addProblemOptions(cmd: Command): Command {
  return cmd
    .option('--space <name>', `search space (search: the embedded NAS-FPN default; bench: ${DEFAULT_SPACE})`)
    .option('--space-opt <key=value>', 'search-space option (repeatable)', collect)
    .option('--evaluator <name>', "evaluator (default: the first one registered for the space)")
    .option('--evaluator-opt <key=value>', 'evaluator option, e.g. dataset=cifar10 or path=DIR (repeatable)', collect)
    .option('--reward <expr>', "reward as a mathjs expression over the evaluator's metrics (default: its primary metric)")
    .option('--plugin <module>', 'plugin module (path or package) to load; repeatable', collect);
}

export function registerSearch(program: Command): void {
  const cmd = program
    .command('search')
    .description(`run a search and record every trial in the experiment store; with neither --space, --config nor --preset, the ${DEFAULT_PRESET} preset: ${PRESETS[DEFAULT_PRESET]?.description}`)
    .option('--config <file>', 'JSON run config; flags override its fields')
    .option('--preset <name>', `an embedded search config, flags override its fields: ${Object.entries(PRESETS).map(([n, p]) => `${n} (${p.description})`).join('; ')}`)
    .option('--strategy <name>', `search strategy (default ${DEFAULT_STRATEGY})`)
    .option('--strategy-opt <key=value>', 'strategy option, e.g. population=50 (repeatable)', collect)
    .option('--scheduler <name>', 'multi-fidelity scheduler: fifo (default: every trial at the top fidelity), asha, successive-halving, hyperband')
    .option('--scheduler-opt <key=value>', 'scheduler option, e.g. eta=3 or minResource=50 (repeatable)', collect);
  addProblemOptions(cmd)
    .option('--backend <name>', `tensor backend of evaluators that train networks: ${BACKEND_CHOICES.join(', ')}`)
    .option('--seed <n>', 'experiment seed (default 0)')
    .option('--evaluations <n>', `budget in evaluations (default ${DEFAULT_EVALUATIONS} when no --seconds; ${(preset(DEFAULT_PRESET).budget as { evaluations: number }).evaluations} in the default NAS-FPN search)`)
    .option('--seconds <s>', 'budget in seconds of search time')
    .option('--max-trials <n>', 'cap on trials including cached duplicates (default 10 x evaluations)')
    .option('--concurrency <n>', 'evaluations run at once by the inline executor (default 1)')
    .option('--executor <name>', 'where evaluations run: inline (main thread), pool (worker threads) or queue (tsnas worker processes through Redis) (default: pool, one worker per core, for evaluators that train networks; inline for table lookups)')
    .option('--redis <url>', 'queue: Redis URL, redis://[user:password@]HOST[:PORT] or rediss:// (default $TSNAS_REDIS_URL; never stored)')
    .option('--workers <n>', 'pool: worker threads, each running one evaluation (default one per core); implies --executor pool')
    .option('--trial-timeout <s>', 'pool: fail a trial still running after s seconds (its worker is replaced)')
    .option('--setup-timeout <s>', "pool: stop the search if a worker's one-time setup takes longer than s seconds (default: the trial timeout)")
    .option('--worker-memory <mb>', "pool: heap limit of each worker in MB; a trial that exceeds it fails")
    .option('--cancel-running', 'on Ctrl-C, cancel running trials instead of waiting for them (--resume evaluates them again)')
    .option('--checkpoint-every <n>', 'checkpoint the strategy every n trials (default 1)')
    .option('--top-k <k>', 'after the search, retrain the k best children at the top fidelity over fresh seeds and return the best mean (0: off)')
    .option('--top-k-seeds <n>', 'seeds of each top-k re-evaluation (default 3)')
    .option('--name <name>', 'experiment name (default <space>-<strategy>-s<seed>)')
    .option('--runs-dir <dir>', 'folder of experiment stores', 'runs')
    .addOption(new Option('--memory', 'keep the experiment in memory only (nothing written)').conflicts('resume'))
    .option('--resume', 'continue the stored experiment of this name with its stored config and plugins; only budget, --top-k, executor and --plugin flags may be added')
    .option('--quiet', 'no progress output')
    .option('--json', 'print the outcome as JSON')
    .action(async (flags: Flags) => {
      if (flags.backend !== undefined) flags.evaluatorOpt = [...(flags.evaluatorOpt ?? []), `backend=${flags.backend}`];
      const fromFlags = mergeFlags(flags, baseConfig(flags));
      const name = RunsFolder.checkName(flags.name ?? defaultName(fromFlags));
      const folder = flags.memory ? undefined : new RunsFolder(flags.runsDir);
      // What can be refused without building anything is refused first; nothing is written before the
      // whole config has been checked (and, for a resume, the stored experiment read).
      if (folder && !flags.resume && folder.exists(name)) throw new TsnasError(`experiment '${name}' already exists in ${folder.dir}: pass --resume to continue it, or another --name`);
      let stored: RunConfig | undefined;
      if (folder && flags.resume) {
        if (!folder.exists(name)) throw new TsnasError(`--resume: no experiment '${name}' in ${folder.dir}`);
        folder.checkReadable(name, (store) => void (stored = store.meta()?.config as unknown as RunConfig));
      }
      // A resume by name continues the stored config, with the flags laid over it (not over the default
      // search); a --config or --preset given with it must describe the same experiment.
      const merged = stored && !flags.config && !flags.preset ? mergeFlags(flags, stored as unknown as Record<string, unknown>) : fromFlags;
      // A resume loads the plugins the experiment was run with unless the flags or the config file name others.
      if (stored) checkResumeFlags(name, flags, stored, merged.raw as unknown as RunConfig, true);
      const storedPlugins = stored?.plugins;
      if (Array.isArray(merged.raw.plugins) && merged.raw.plugins.length === 0 && Array.isArray(storedPlugins)) merged.raw.plugins = storedPlugins;
      const plugins = mergedPlugins(merged);
      const registries = await loadRegistries(plugins);
      const config = withDefaultExecutor(finishConfig(merged, registries), merged.raw, registries, flags.concurrency);
      if (stored) {
        checkResumeFlags(name, flags, stored, config);
        checkSameExperiment({ name, createdAt: 0, config: stored as unknown as JsonValue }, config);
      }
      const makeExecutor = queueExecutorFor(config, name, flags);
      let store: ExperimentStore | undefined;
      const openStore = (): ExperimentStore => {
        if (!folder) return (store = new MemoryStore());
        store = flags.resume
          ? folder.resume(name, (s) => checkSameExperiment(s.meta() as ExperimentMeta, config))
          : folder.create(name, { name, createdAt: Date.now(), config: config as unknown as JsonValue });
        return store;
      };
      const controller = new AbortController();
      let stopProgress = () => undefined as void;
      let executor: Executor | undefined;
      const onSigint = () => {
        if (controller.signal.aborted) process.exit(130);
        // The bar would redraw over the notice: it stops here, the summary follows the notice.
        stopProgress();
        process.stderr.write(
          flags.cancelRunning
            ? '\nstopping: cancelling running trials (--resume evaluates them again)\n'
            : '\nstopping: no new trials; waiting for running ones (Ctrl-C again to quit now)\n',
        );
        controller.abort();
      };
      process.on('SIGINT', onSigint);
      try {
        const result = await runSearch(config, {
          name,
          store: openStore,
          ...(folder && flags.resume ? { resumable: () => folder.read(name) } : {}),
          // Said once the config is known to be good, so that an error is the only line of a failed start.
          onParts: async (parts) => {
            await queueReady(parts.executor);
            executor = parts.executor;
            if (!flags.json) await reportBackend(registries, config.evaluator);
          },
          ...(makeExecutor ? { makeExecutor } : {}),
          registries,
          signal: controller.signal,
          cancelOnStop: flags.cancelRunning ?? false,
          onEngine: (engine) => {
            // Once the store is open (and its writer lock held), so that a refused start prints its error alone.
            if (!flags.json && !flags.quiet && executor) process.stderr.write(`${executorLine(config, executor)}\n`);
            if (!flags.quiet && !flags.json) stopProgress = attachProgress(engine, config.budget.evaluations ?? Infinity);
          },
          onReevaluate: (trials, seeds) => {
            stopProgress();
            if (!flags.quiet && !flags.json) process.stderr.write(`re-evaluating the top ${trials.length} (trials ${trials.join(', ')}) at the top fidelity over ${seeds} seeds\n`);
          },
        });
        stopProgress();
        const best = result.best;
        if (flags.json) {
          const returned = result.reevaluated[0] ?? null;
          process.stdout.write(JSON.stringify({ name, store: store?.location, evaluations: result.evaluations, trials: result.trials.length, stoppedBy: result.stoppedBy, best, reevaluated: result.reevaluated, returned }, null, 2) + '\n');
          return;
        }
        const failed = result.trials.filter((t) => t.status === 'failed').length;
        const cached = result.trials.filter((t) => t.status === 'cached').length;
        const running = result.trials.filter((t) => t.status === 'running').length;
        const stopped = result.trials.filter((t) => t.status === 'stopped').length;
        const lines = [
          `experiment ${name} (${store?.location})`,
          `${result.evaluations} evaluations, ${result.trials.length} trials (${cached} cached, ${failed} failed${stopped ? `, ${stopped} stopped below the top rung` : ''}${running ? `, ${running} cancelled: --resume evaluates them again` : ''}); stopped by ${result.stoppedBy}`,
        ];
        if (best) {
          const at = best.resource !== undefined ? `  at resource ${best.resource}` : '';
          lines.push(`best: trial ${best.number}  reward ${formatCell(best.reward)}${at}  ${result.reportMetric} ${formatCell(best.metrics?.[result.reportMetric])}`);
          lines.push(`      ${best.key}`);
        } else {
          lines.push('no trial completed');
        }
        if (result.reevaluated.length > 0) {
          const pm = (s: { mean: number; std: number }) => `${s.mean.toFixed(4)} ± ${s.std.toFixed(4)}`;
          lines.push(`top-${result.reevaluated.length} re-evaluation over ${config.reevaluate?.seeds} seeds (reward; ${result.reportMetric}):`);
          for (const c of result.reevaluated) lines.push(`  trial ${c.trial}: ${pm(c.reward)}; ${pm(c.report)}   (search reward ${c.searchReward.toFixed(4)})`);
          const r = result.reevaluated[0]!;
          lines.push(`returned: trial ${r.trial}  ${r.key}`);
        }
        if (!flags.memory) lines.push(...nextSteps(name, flags.runsDir, result.stoppedBy === 'signal', 'backend' in registries.evaluators.get(config.evaluator.name).options));
        process.stdout.write(lines.join('\n') + '\n');
      } finally {
        stopProgress();
        process.off('SIGINT', onSigint);
        store?.close();
      }
    });
}

/** What to do with a stored search: the commands that read it, and how to continue one that was stopped. */
function nextSteps(name: string, runsDir: string, interrupted: boolean, trainsNetworks: boolean): string[] {
  const dir = runsDir !== 'runs' ? ` --runs-dir ${runsDir}` : '';
  const steps: [string, string][] = [
    ...(interrupted ? [[`tsnas search --name ${name}${dir} --resume`, 'continue the search'] as [string, string]] : []),
    [`tsnas show ${name}${dir}`, 'every trial and its metrics (--csv for a spreadsheet)'],
    ...(trainsNetworks ? [[`tsnas export ${name}${dir} --out model/`, 'the returned architecture, trained, with its weights'] as [string, string]] : []),
    [`tsnas report ${name}${dir} --out ${name}.html`, 'a report of the whole search'],
  ];
  const w = Math.max(...steps.map(([c]) => c.length));
  return ['next:', ...steps.map(([c, what]) => `  ${c.padEnd(w)}  ${what}`)];
}
