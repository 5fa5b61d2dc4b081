import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { registerBench } from './commands/bench.js';
import { registerComponents } from './commands/components.js';
import { registerData } from './commands/data.js';
import { registerExport } from './commands/export.js';
import { registerList } from './commands/list.js';
import { registerPredict } from './commands/predict.js';
import { registerReport } from './commands/report.js';
import { registerSearch } from './commands/search.js';
import { registerShow } from './commands/show.js';
import { registerTrain } from './commands/train.js';
import { registerWorker } from './commands/worker.js';
import { reportFailure } from './report-failure.js';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

/** Builds the `tsnas` program; `main` runs it. Exported for tests. */
export function buildProgram(): Command {
  const program = new Command('tsnas')
    .description('neural architecture search: pluggable strategies, persistent trials, tabular and proxy evaluators')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerSearch(program);
  registerTrain(program);
  registerBench(program);
  registerList(program);
  registerShow(program);
  registerComponents(program);
  registerWorker(program);
  registerExport(program);
  registerPredict(program);
  registerReport(program);
  registerData(program);
  for (const c of program.commands) for (const sub of [c, ...c.commands]) sub.exitOverride();
  return program;
}

/** Runs the CLI; returns the exit code (0 ok, 1 usage error, 2 bad input or data, 3 unexpected failure). */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    return reportFailure(e, 'tsnas');
  }
}
