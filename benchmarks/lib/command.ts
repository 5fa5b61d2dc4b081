import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { reportFailure } from '../../src/cli/report-failure.js';

/**
 * A benchmark's command line, parsed by commander as the CLI's: --help, unknown options and stray
 * arguments refused (so no argument is ever taken for an output path), numbers checked when parsed.
 */
export function benchmarkCommand(name: string, description: string): Command {
  return new Command(`node dist/benchmarks/${name}.js`).description(description).allowExcessArguments(false).showHelpAfterError();
}

/**
 * Parses process.argv (exiting with the usage on a bad one) and returns the options. A failure of the
 * run after that exits as the CLI's does: bad input (a ConfigError: a flag's value, an unknown
 * strategy) as one line naming it and exit code 2, anything unexpected with its stack and 3.
 */
export function parseBenchmark<T>(cmd: Command): T {
  const program = basename(process.argv[1] ?? 'benchmark', '.js');
  // A benchmark is a module's top level: what it throws, or an await rejects, arrives here.
  process.on('uncaughtException', (e) => process.exit(reportFailure(e, program)));
  return cmd.parse(process.argv).opts() as T;
}

function number(raw: string, integer: boolean, min: number): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || (integer && !Number.isSafeInteger(v)) || v < min) {
    throw new InvalidArgumentError(`expected ${integer ? 'an integer' : 'a number'} >= ${min}`);
  }
  return v;
}

/** Option parser: an integer of at least `min`. */
export const int =
  (min = 0) =>
  (raw: string): number =>
    number(raw, true, min);

/** Option parser: a finite number of at least `min`. */
export const num =
  (min = 0) =>
  (raw: string): number =>
    number(raw, false, min);

/** Option parser: a comma-separated list of numbers of at least `min` (integers when `integer`). */
export const numList =
  (min = 0, integer = false) =>
  (raw: string): number[] =>
    raw
      .split(',')
      .filter((s) => s.trim() !== '')
      .map((s) => number(s, integer, min));

/** Writes the benchmark's JSON result where --out says, and only then. */
export function writeResult(out: string | undefined, result: unknown): void {
  if (out === undefined) return;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${out}`);
}
