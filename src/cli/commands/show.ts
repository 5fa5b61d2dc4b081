import type { Command } from 'commander';
import { TsnasError } from '../../core/errors.js';
import { RunsFolder } from '../../store/runs-folder.js';
import { summarize } from '../../engine/experiment-summary.js';
import { experimentSpaceOrNone } from '../../report/experiment-space.js';
import { trialRow, trialsCsv } from '../../report/trial-rows.js';
import { intFlag } from '../kv.js';
import { terminalWidth, textTable } from '../text-table.js';

export function registerShow(program: Command): void {
  program
    .command('show <experiment>')
    .description("show an experiment's config, best trial and trials (or one trial, with its rungs, with --trial)")
    .option('--runs-dir <dir>', 'folder of experiment stores', 'runs')
    .option('--trial <n>', 'show one trial in full')
    .option('--top <k>', 'how many best trials to list', '10')
    .option('--all', 'list every trial in order')
    .option('--json', 'print JSON: config, counts, best, re-evaluation, the listed trials and their flattened table (--all: every trial)')
    .option('--csv', 'print every trial as CSV: one row per trial, one column per decision and metric')
    .action(async (name: string, flags: { runsDir: string; trial?: string; top: string; all?: boolean; json?: boolean; csv?: boolean }) => {
      const store = new RunsFolder(flags.runsDir).read(name);
      try {
        const out = (v: unknown) => process.stdout.write(JSON.stringify(v, null, 2) + '\n');
        if (flags.trial !== undefined) {
          const n = intFlag('--trial', flags.trial) as number;
          const t = store.trial(n);
          if (!t) throw new TsnasError(`experiment '${name}' has no trial ${n}`);
          const rungs = store.rungs(n);
          out(rungs.length > 0 ? { ...t, rungs } : t);
          return;
        }
        const meta = store.meta();
        const { trials, multiFidelity, ranked, reevaluated } = summarize(store);
        if (flags.csv) {
          const space = await experimentSpaceOrNone(meta);
          process.stdout.write(trialsCsv(trials.map((t) => trialRow(t, space))));
          return;
        }
        const statuses = ['complete', ...(multiFidelity ? ['stopped'] : []), 'cached', 'failed', 'running'];
        const counts = Object.fromEntries(statuses.map((s) => [s, trials.filter((t) => t.status === s).length]));
        if (flags.json) {
          const listed = flags.all ? trials : ranked.slice(0, intFlag('--top', flags.top));
          // `table`: the listed trials flattened as --csv writes them (decisions by name, label chosen).
          const space = await experimentSpaceOrNone(meta);
          out({ meta, counts, best: ranked[0] ?? null, reevaluated, returned: reevaluated[0] ?? null, trials: listed, table: listed.map((t) => trialRow(t, space)) });
          return;
        }
        process.stdout.write(`experiment ${meta?.name} created ${meta ? new Date(meta.createdAt).toISOString() : '?'}\n`);
        process.stdout.write(`config ${JSON.stringify(meta?.config)}\n`);
        process.stdout.write(`trials ${trials.length}: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}\n`);
        const row = (t: (typeof trials)[number]) => ({
          trial: t.number,
          status: t.status,
          ...(multiFidelity ? { fidelity: t.resource ?? '' } : {}),
          reward: t.reward,
          key: t.key,
          ...(t.metrics ?? {}),
          error: t.error ?? '',
        });
        const width = terminalWidth();
        process.stdout.write(textTable((flags.all ? trials : ranked.slice(0, intFlag('--top', flags.top))).map(row), width) + '\n');
        if (reevaluated.length > 0) {
          // The search reward is one run at the fidelity the trial reached; these are the top-k retrained over fresh seeds.
          const pm = (s: { mean: number; std: number }) => `${s.mean.toFixed(4)} ± ${s.std.toFixed(4)}`;
          process.stdout.write(`top-k re-evaluation at the top fidelity (mean ± std over seeds); the search returns trial ${reevaluated[0]!.trial}\n`);
          const table = textTable(
            reevaluated.map((c) => ({
              trial: c.trial,
              runs: c.runs,
              'search reward': trials.find((t) => t.number === c.trial)?.reward ?? null,
              reward: pm(c.reward),
              ...Object.fromEntries(Object.entries(c.metrics).filter(([m]) => m.startsWith('test')).map(([m, v]) => [m, pm(v)])),
              key: c.key,
            })),
            width,
          );
          process.stdout.write(table + '\n');
        }
      } finally {
        store.close();
      }
    });
}
