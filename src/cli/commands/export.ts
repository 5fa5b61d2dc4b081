import type { Command } from 'commander';
import { exportTrial } from '../../export/export-trial.js';
import { loadRegistries } from '../../wiring/registries.js';
import { BACKEND_CHOICES } from '../../tensor/index.js';
import { collect, intFlag, parseKeyStrings } from '../kv.js';

interface Flags {
  runsDir: string;
  trial?: string;
  out: string;
  fidelity?: string;
  seed?: string;
  evaluatorOpt?: string[];
  backend?: string;
  json?: boolean;
}

export function registerExport(program: Command): void {
  program
    .command('export <experiment>')
    .description("train a trial's architecture (default: the search's returned one) and write genotype.json, the weights (TensorFlow.js format), metrics and a README to --out")
    .requiredOption('--out <dir>', 'folder to write the model to')
    .option('--runs-dir <dir>', 'folder of experiment stores', 'runs')
    .option('--trial <n>', "trial to export (default: the search's returned trial, after top-k re-evaluation where it ran)")
    .option('--fidelity <n>', "resource to train to, e.g. steps (default: the evaluator's top fidelity)")
    .option('--seed <n>', "training seed (default: the trial's, which reproduces its run)")
    .option('--evaluator-opt <key=value>', 'evaluator option over the stored ones, e.g. steps=2700 for a longer run (repeatable)', collect)
    .option('--backend <name>', `tensor backend: ${BACKEND_CHOICES.join(', ')}`)
    .option('--json', 'print JSON')
    .action(async (experiment: string, flags: Flags) => {
      const evaluatorOptions: Record<string, unknown> = parseKeyStrings('--evaluator-opt', flags.evaluatorOpt);
      if (flags.backend !== undefined) evaluatorOptions.backend = flags.backend;
      const r = await exportTrial({
        runsDir: flags.runsDir,
        experiment,
        out: flags.out,
        evaluatorOptions,
        registries: loadRegistries,
        onStart: (i) => process.stderr.write(`training trial ${i.trial} of ${experiment}${i.fidelity === null ? '' : ` to ${i.fidelity} ${i.unit ?? ''}`}, seed ${i.seed}...\n`),
        ...(flags.trial !== undefined ? { trial: intFlag('--trial', flags.trial) as number } : {}),
        ...(flags.fidelity !== undefined ? { fidelity: intFlag('--fidelity', flags.fidelity) as number } : {}),
        ...(flags.seed !== undefined ? { seed: intFlag('--seed', flags.seed) as number } : {}),
      });
      if (flags.json) {
        process.stdout.write(JSON.stringify(r, null, 2) + '\n');
        return;
      }
      const m = Object.entries(r.metrics).filter(([k]) => ['ap', 'test_ap', 'ap50', 'val_acc', 'test_acc', 'params'].includes(k));
      process.stdout.write(
        `exported trial ${r.trial} (${r.via === 'option' ? '--trial' : r.via === 'top-k' ? 'returned by the top-k re-evaluation' : 'best trial'}) of ${experiment} to ${r.dir}\n` +
          `  ${r.key}\n  trained to ${r.fidelity ?? 'its only fidelity'}, seed ${r.seed}: ${m.map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`).join(', ')}\n` +
          `  files: ${r.files.join(', ')} and the weight shards; tsnas predict --model ${r.dir} IMAGE... runs it\n`,
      );
    });
}
