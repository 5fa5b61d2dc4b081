import type { Command } from 'commander';
import { writeExperimentReport } from '../../report/write-report.js';

export function registerReport(program: Command): void {
  program
    .command('report <experiment>')
    .description('write one self-contained HTML report of an experiment (plots, the architectures drawn, a sortable trial table); opens offline')
    .option('--runs-dir <dir>', 'folder of experiment stores', 'runs')
    .option('--out <file>', 'where to write it (default: <experiment>.report.html)')
    .action(async (experiment: string, flags: { runsDir: string; out?: string }) => {
      const r = await writeExperimentReport(flags.runsDir, experiment, flags.out ?? `${experiment}.report.html`);
      process.stdout.write(`wrote ${r.path} (${r.trials} trials, ${(r.bytes / 1024).toFixed(0)} KB)\n`);
    });
}
