import type { Command } from 'commander';
import { copyFileSync, mkdirSync, renameSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ConfigError } from '../../core/errors.js';
import { userDataDir } from '../../data/user-data-dir.js';
import { loadNb201Table, NB201_DATASETS } from '../../evaluators/tabular/nb201-table.js';

/** The dataset a table is for: --dataset, else its file name (nasbench201_<dataset>.csv). */
function datasetOf(file: string, given: string | undefined): string {
  const named = /^nasbench201_([a-z0-9]+)\.csv$/i.exec(basename(file))?.[1]?.toLowerCase();
  const dataset = given ?? named;
  if (dataset === undefined) throw new ConfigError('--dataset', `cannot tell the dataset of ${file} from its name (nasbench201_<dataset>.csv): give --dataset ${NB201_DATASETS.join('|')}`);
  if (!(NB201_DATASETS as readonly string[]).includes(dataset)) throw new ConfigError('--dataset', `expected one of ${NB201_DATASETS.join(', ')}, got '${dataset}'`);
  return dataset;
}

export function registerData(program: Command): void {
  const data = program.command('data').description('install data sets into the per-user data folder that evaluators search ($TSNAS_DATA_DIR, else $XDG_DATA_HOME/tsnas or ~/.local/share/tsnas)');
  data
    .command('add <kind> <files...>')
    .description('check and install data files: nasbench201 FILE... (nasbench201_cifar10.csv, nasbench201_cifar100.csv), so searches find them from any folder')
    .option('--dataset <name>', `nasbench201: the dataset of a table whose name does not say (${NB201_DATASETS.join(', ')})`)
    .action((kind: string, files: string[], flags: { dataset?: string }) => {
      if (kind !== 'nasbench201') throw new ConfigError('kind', `unknown data kind '${kind}'; known: nasbench201`);
      if (flags.dataset !== undefined && files.length > 1) throw new ConfigError('--dataset', 'names the dataset of one file; give the files one at a time');
      // Every file is checked before any is installed: a bad one leaves the folder as it was.
      const checked = files.map((f) => {
        const file = resolve(f);
        const dataset = datasetOf(file, flags.dataset);
        return { file, dataset, rows: loadNb201Table(file).size };
      });
      const dir = userDataDir('nasbench201');
      mkdirSync(dir, { recursive: true });
      for (const { file, dataset, rows } of checked) {
        const target = join(dir, `nasbench201_${dataset}.csv`);
        // Copied beside, then renamed: a search reading the folder never sees half a table.
        const partial = `${target}.${process.pid}.partial`;
        copyFileSync(file, partial);
        renameSync(partial, target);
        process.stdout.write(`installed the NAS-Bench-201 ${dataset} table (${rows.toLocaleString('en-US')} architectures): ${target}\n`);
      }
    });
}
