import type { Command } from 'commander';
import { bestTrial } from '../../engine/best-trial.js';
import { ReportedError, TsnasError } from '../../core/errors.js';
import { RunsFolder } from '../../store/runs-folder.js';

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list the experiments in the runs folder')
    .option('--runs-dir <dir>', 'folder of experiment stores', 'runs')
    .option('--json', 'print JSON')
    .action((flags: { runsDir: string; json?: boolean }) => {
      const folder = new RunsFolder(flags.runsDir);
      const unreadable: string[] = [];
      const rows = folder.names().flatMap((name) => {
        let store;
        try {
          store = folder.read(name);
        } catch (e) {
          return skip(name, e, unreadable);
        }
        try {
          const meta = store.meta();
          const config = meta?.config as unknown as Partial<Record<'space' | 'strategy', { name?: unknown }>> | undefined;
          const trials = store.trials();
          const complete = trials.filter((t) => t.status === 'complete');
          // Multi-fidelity experiments: the best at the highest rung reached, as the engine reports it.
          const best = bestTrial(trials)?.reward ?? null;
          return [{
            name,
            created: meta ? new Date(meta.createdAt).toISOString() : '',
            space: String(config?.space?.name ?? ''),
            strategy: String(config?.strategy?.name ?? ''),
            trials: trials.length,
            complete: complete.length,
            failed: trials.filter((t) => t.status === 'failed').length,
            running: trials.filter((t) => t.status === 'running').length,
            best,
          }];
        } catch (e) {
          return skip(name, e, unreadable);
        } finally {
          store.close();
        }
      });
      if (flags.json) {
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        return;
      }
      if (rows.length === 0 && unreadable.length === 0) {
        process.stdout.write(`no experiments in ${folder.dir}\n`);
        return;
      }
      if (rows.length > 0) console.table(rows);
      if (unreadable.length > 0) throw new ReportedError(`${unreadable.length} experiment(s) could not be read: ${unreadable.join(', ')}`);
    });
}

/** A store that cannot be read is reported (one line) and skipped, so the others are still listed. */
function skip(name: string, e: unknown, unreadable: string[]): [] {
  if (!(e instanceof TsnasError)) throw e;
  process.stderr.write(`tsnas: experiment '${name}': ${e.message}\n`);
  unreadable.push(name);
  return [];
}
