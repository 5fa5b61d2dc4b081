import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import type { EvaluatorFactory } from '../../core/evaluator.js';
import { deriveSeed } from '../../core/rng.js';
import { BACKEND_CHOICES, initBackend, type BackendChoice } from '../../tensor/index.js';
import { describePyramid } from '../../spaces/nasfpn/graph.js';
import { isNasFpnSpace } from '../../spaces/nasfpn/space.js';
import { genotypeArg, genotypeFileSpace } from '../genotype-arg.js';
import { collect, intFlag, parseKeyStrings } from '../kv.js';
import { loadRegistries } from '../../wiring/registries.js';
import { defaultEvaluator } from '../run-config-flags.js';
import { differingMetrics, storedTrialRun } from '../train-from.js';

interface Flags {
  space?: string;
  spaceOpt?: string[];
  genotype?: string;
  from?: string;
  trial?: string;
  runsDir: string;
  evaluator?: string;
  evaluatorOpt?: string[];
  backend?: string;
  seed?: string;
  plugin?: string[];
  json?: boolean;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('evaluate (train) one architecture and print its metrics; --from X --trial N retrains a stored trial as its search did')
    .option('--genotype <name|file|text>', 'a named genotype (e.g. fpn, panet, nasfpn-paper), a JSON file, or a canonical string')
    .option('--from <experiment>', "a stored experiment: retrain its --trial with the experiment's space, evaluator, options and the trial's seed")
    .option('--trial <n>', 'with --from: the trial number')
    .option('--runs-dir <dir>', 'with --from: folder of experiment stores', 'runs')
    .option('--space <name>', "search space (default: a genotype.json's own, else nasfpn)")
    .option('--space-opt <key=value>', 'search-space option (repeatable)', collect)
    .option('--evaluator <name>', 'evaluator (default: the first one registered for the space)')
    .option('--evaluator-opt <key=value>', 'evaluator option, e.g. steps=300 (repeatable)', collect)
    .option('--backend <name>', `tensor backend: ${BACKEND_CHOICES.join(', ')} (evaluators with a backend option)`)
    .option('--seed <n>', 'seed of the initialisation and data order (default 0)')
    .option('--plugin <module>', 'plugin module to load (repeatable)', collect)
    .option('--json', 'print JSON')
    .action(async (flags: Flags) => {
      if (flags.from !== undefined) return trainStored(flags);
      if (flags.trial !== undefined) throw new ConfigError('--trial', 'give --from EXPERIMENT too');
      if (flags.genotype === undefined) throw new ConfigError('--genotype', 'give --genotype, or --from EXPERIMENT --trial N');
      const spaceName = flags.space ?? genotypeFileSpace(flags.genotype) ?? 'nasfpn';
      const registries = await loadRegistries(flags.plugin);
      const factory = registries.spaces.get(spaceName);
      const arg = genotypeArg(factory, flags.genotype);
      const space = factory.create({ ...parseKeyStrings('--space-opt', flags.spaceOpt), ...arg.options });
      const genotype = space.validate(arg.genotype);
      const evalFactory = registries.evaluators.get(flags.evaluator ?? defaultEvaluator(registries, spaceName));
      const evalOptions = evaluatorOptions(flags, evalFactory);
      const evaluator = await evalFactory.create(evalOptions, space);
      await reportBackend('backend' in evalFactory.options, evalOptions);
      const seed = intFlag('--seed', flags.seed) ?? 0;
      const key = space.canonical(genotype);
      const metrics = await evaluator.evaluate({ trial: 0, genotype, key, seed: deriveSeed(seed, 0) });
      await evaluator.close?.();
      if (flags.json) {
        process.stdout.write(JSON.stringify({ genotype: arg.name ?? key, key, metrics }, null, 2) + '\n');
        return;
      }
      const lines = [`${arg.name ?? 'genotype'}: ${key}`];
      if (isNasFpnSpace(space)) lines.push(...describePyramid(space.validate(genotype), space.config).map((l) => `  ${l}`));
      lines.push(...Object.entries(metrics).map(([k, v]) => `${k.padEnd(16)} ${Number.isInteger(v) ? v : v.toFixed(4)}`));
      process.stdout.write(lines.join('\n') + '\n');
    });
}

/** `--evaluator-opt` and `--backend` as evaluator options (the backend only for evaluators that run tensors). */
function evaluatorOptions(flags: Flags, factory: EvaluatorFactory): Record<string, unknown> {
  const options: Record<string, unknown> = parseKeyStrings('--evaluator-opt', flags.evaluatorOpt);
  if (flags.backend !== undefined) {
    if (!('backend' in factory.options)) throw new ConfigError('--backend', `evaluator '${factory.name}' runs no tensors`);
    options.backend = flags.backend;
  }
  return options;
}

/** Says which tensor backend an evaluator that runs tensors uses (it picks it by the same rule). */
async function reportBackend(runsTensors: boolean, options: Record<string, unknown>): Promise<void> {
  if (!runsTensors) return;
  const info = await initBackend((options.backend ?? 'auto') as BackendChoice);
  process.stderr.write(`backend: ${info.name} — ${info.detail}\n`);
}

/** `--from X --trial N`: the stored trial evaluated again, its metrics set beside the stored ones. */
async function trainStored(flags: Flags): Promise<void> {
  const refused = (['genotype', 'space', 'spaceOpt', 'evaluator', 'seed', 'plugin'] as const).find((k) => flags[k] !== undefined);
  if (refused) throw new ConfigError(`--${refused.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, "not with --from: the stored experiment's own is used (--evaluator-opt and --backend may override its evaluator options)");
  const number = intFlag('--trial', flags.trial);
  if (number === undefined) throw new ConfigError('--trial', 'give the trial number to retrain (tsnas show lists them)');
  const overrides = parseKeyStrings('--evaluator-opt', flags.evaluatorOpt);
  if (flags.backend !== undefined) overrides.backend = flags.backend;
  const run = await storedTrialRun(flags.runsDir, flags.from as string, number, overrides);
  let metrics;
  try {
    await reportBackend(run.runsTensors, run.evaluatorOptions);
    metrics = await run.evaluator.evaluate(run.request);
  } finally {
    await run.evaluator.close?.();
  }
  const differ = differingMetrics(run.trial.metrics, metrics);
  if (flags.json) {
    process.stdout.write(JSON.stringify({ experiment: flags.from, trial: number, key: run.trial.key, seed: run.trial.seed, resource: run.trial.resource ?? null, metrics, stored: run.trial.metrics, reproduced: differ.length === 0 }, null, 2) + '\n');
    return;
  }
  const fmt = (v: number | undefined) => (v === undefined ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(4));
  const lines = [`${flags.from} trial ${number} (seed ${run.trial.seed}${run.trial.resource !== undefined ? `, resource ${run.trial.resource}` : ''}): ${run.trial.key}`];
  lines.push(...Object.entries(metrics).map(([k, v]) => `${k.padEnd(16)} ${fmt(v).padEnd(12)} stored ${fmt(run.trial.metrics?.[k])}`));
  lines.push(differ.length === 0 ? 'reproduces the stored metrics exactly' : `differs from the stored metrics in ${differ.join(', ')}`);
  process.stdout.write(lines.join('\n') + '\n');
}
