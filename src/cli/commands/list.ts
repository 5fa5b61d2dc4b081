import type { Command } from 'commander';
import { bestTrial } from '../../engine/best-trial.js';
import type { RunConfig } from '../../engine/config.js';
import { RunsFolder } from '../../store/runs-folder.js';

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list the experiments in the runs folder')
    .option('--runs-dir <dir>', 'folder of experiment stores', 'runs')
    .option('--json', 'print JSON')
    .action((flags: { runsDir: string; json?: boolean }) => {
      const folder = new RunsFolder(flags.runsDir);
      const rows = folder.names().map((name) => {
        const store = folder.read(name);
        try {
          const meta = store.meta();
          const config = meta?.config as unknown as RunConfig | undefined;
          const trials = store.trials();
          const complete = trials.filter((t) => t.status === 'complete');
          // Multi-fidelity experiments: the best at the highest rung reached, as the engine reports it.
          const best = bestTrial(trials)?.reward ?? null;
          return {
            name,
            created: meta ? new Date(meta.createdAt).toISOString() : '',
            space: config?.space.name ?? '',
            strategy: config?.strategy.name ?? '',
            trials: trials.length,
            complete: complete.length,
            failed: trials.filter((t) => t.status === 'failed').length,
            running: trials.filter((t) => t.status === 'running').length,
            best,
          };
        } finally {
          store.close();
        }
      });
      if (flags.json) {
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        return;
      }
      if (rows.length === 0) {
        process.stdout.write(`no experiments in ${folder.dir}\n`);
        return;
      }
      console.table(rows);
    });
}
