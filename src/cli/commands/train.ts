import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { deriveSeed } from '../../core/rng.js';
import { initBackend, type BackendChoice } from '../../tensor/index.js';
import { describePyramid } from '../../spaces/nasfpn/graph.js';
import { isNasFpnSpace } from '../../spaces/nasfpn/space.js';
import { genotypeArg } from '../genotype-arg.js';
import { collect, intFlag, parseKeyStrings } from '../kv.js';
import { loadRegistries } from '../../wiring/registries.js';
import { defaultEvaluator } from '../run-config-flags.js';

interface Flags {
  space: string;
  spaceOpt?: string[];
  genotype: string;
  evaluator?: string;
  evaluatorOpt?: string[];
  backend?: string;
  seed: string;
  plugin?: string[];
  json?: boolean;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('evaluate (train) one architecture and print its metrics')
    .requiredOption('--genotype <name|file|text>', 'a named genotype (e.g. fpn, panet, nasfpn-paper), a JSON file, or a canonical string')
    .option('--space <name>', 'search space', 'nasfpn')
    .option('--space-opt <key=value>', 'search-space option (repeatable)', collect)
    .option('--evaluator <name>', 'evaluator (default: the first one registered for the space)')
    .option('--evaluator-opt <key=value>', 'evaluator option, e.g. steps=300 (repeatable)', collect)
    .option('--backend <name>', 'tensor backend: auto, tensorflow, wasm or cpu (evaluators with a backend option)')
    .option('--seed <n>', 'seed of the initialisation and data order', '0')
    .option('--plugin <module>', 'plugin module to load (repeatable)', collect)
    .option('--json', 'print JSON')
    .action(async (flags: Flags) => {
      const registries = await loadRegistries(flags.plugin);
      const factory = registries.spaces.get(flags.space);
      const arg = genotypeArg(factory, flags.genotype);
      const space = factory.create({ ...parseKeyStrings('--space-opt', flags.spaceOpt), ...arg.options });
      const genotype = space.validate(arg.genotype);
      const evalFactory = registries.evaluators.get(flags.evaluator ?? defaultEvaluator(registries, flags.space));
      const evalOptions: Record<string, unknown> = parseKeyStrings('--evaluator-opt', flags.evaluatorOpt);
      if (flags.backend !== undefined) {
        if (!('backend' in evalFactory.options)) throw new ConfigError('--backend', `evaluator '${evalFactory.name}' runs no tensors`);
        evalOptions.backend = flags.backend;
      }
      const evaluator = await evalFactory.create(evalOptions, space);
      if ('backend' in evalFactory.options) {
        const info = await initBackend((evalOptions.backend ?? 'auto') as BackendChoice);
        process.stderr.write(`backend: ${info.name} — ${info.detail}\n`);
      }
      const seed = intFlag('--seed', flags.seed) as number;
      const key = space.canonical(genotype);
      const metrics = await evaluator.evaluate({ trial: 0, genotype, key, seed: deriveSeed(seed, 0) });
      await evaluator.close?.();
      if (flags.json) {
        process.stdout.write(JSON.stringify({ genotype: arg.label, key, metrics }, null, 2) + '\n');
        return;
      }
      const lines = [`${arg.label}: ${key}`];
      if (isNasFpnSpace(space)) lines.push(...describePyramid(space.validate(genotype), space.config).map((l) => `  ${l}`));
      lines.push(...Object.entries(metrics).map(([k, v]) => `${k.padEnd(16)} ${Number.isInteger(v) ? v : v.toFixed(4)}`));
      process.stdout.write(lines.join('\n') + '\n');
    });
}
