import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { serveReport } from '../../report/serve.js';
import { writeExperimentReport } from '../../report/write-report.js';
import { intFlag } from '../kv.js';

export function registerReport(program: Command): void {
  program
    .command('report <experiment>')
    .description('write one self-contained HTML report of an experiment (plots, the architectures drawn, a sortable trial table); opens offline')
    .option('--runs-dir <dir>', 'folder of experiment stores', 'runs')
    .option('--out <file>', 'where to write it (default: <experiment>.report.html)')
    .option('--serve', 'serve it on 127.0.0.1 instead, reloading as trials land (Ctrl-C stops)')
    .option('--port <n>', 'port of --serve (0: any free one)', '8765')
    .action(async (experiment: string, flags: { runsDir: string; out?: string; serve?: boolean; port: string }) => {
      if (flags.serve) {
        const port = intFlag('--port', flags.port) as number;
        if (port > 65535) throw new ConfigError('--port', `expected 0..65535, got ${port}`);
        const { url, server } = await serveReport(flags.runsDir, experiment, { port, refreshSeconds: 5 });
        process.stdout.write(`serving the report of ${experiment} at ${url} (reloads as trials land; Ctrl-C stops)\n`);
        await new Promise<void>((resolve) =>
          process.once('SIGINT', () => {
            server.close(() => resolve());
            server.closeAllConnections(); // a page's keep-alive connection would hold the close
          }),
        );
        return;
      }
      const r = await writeExperimentReport(flags.runsDir, experiment, flags.out ?? `${experiment}.report.html`);
      process.stdout.write(`wrote ${r.path} (${r.trials} trials, ${(r.bytes / 1024).toFixed(0)} KB)\n`);
    });
}
