import { Piscina } from 'piscina';
import { describeError } from '../core/describe-error.js';
import { TsnasError } from '../core/errors.js';
import type { BenchConfig, BenchEntry, RunOutcome } from './tabular-bench.js';

/** One (strategy, seed) run sent to a worker: plain data only. */
export interface BenchTask {
  readonly config: BenchConfig;
  /** Index into config.entries. */
  readonly entry: number;
  readonly seed: number;
}

/** A run's outcome, or the tsnas error (config, contract) that stops the whole bench, as data. */
export type WorkerOutcome = RunOutcome | { readonly fatal: { readonly name: string; readonly message: string } };

/** The worker entry, named by URL and never imported here (Piscina loads it in each thread). */
const BENCH_WORKER = new URL('./bench-worker.js', import.meta.url).href;

/**
 * Runs the bench's (strategy, seed) runs on `workers` Piscina threads, as the search's pool executor
 * runs evaluations; returns the outcomes in task order whatever order they end in. A worker that dies
 * in a run (process.exit, out of memory) fails that run only; a tsnas error stops the bench.
 */
export async function runInWorkers(config: BenchConfig, tasks: readonly { entry: number; seed: number }[], workers: number, onOutcome: (o: RunOutcome) => void): Promise<RunOutcome[]> {
  const pool = new Piscina<BenchTask, WorkerOutcome>({ filename: BENCH_WORKER, minThreads: workers, maxThreads: workers, atomics: 'disabled' });
  // Once a tsnas error stops the bench, the runs the pool's destruction cuts short are not failures to report.
  let stopped = false;
  // Piscina replaces a worker that fails between tasks; without a listener its 'error' would end the process.
  // After a stop, a worker still finishing its run posts to a pool being destroyed ("Unexpected message
  // from Worker"): that is the stop's doing, not a failure, and must not add a line to its one-line error.
  pool.on('error', (e: unknown) => {
    if (!stopped) process.emitWarning(`tsnas: a bench worker failed outside a run: ${describeError(e)}`);
  });
  try {
    return await Promise.all(
      tasks.map(async ({ entry, seed }): Promise<RunOutcome> => {
        let o: WorkerOutcome;
        try {
          o = await pool.run({ config, entry, seed });
        } catch (e) {
          o = { failure: { label: (config.entries[entry] as BenchEntry).label, seed, error: describeError(e) } };
        }
        if ('fatal' in o) {
          stopped = true;
          throw Object.assign(new TsnasError(o.fatal.message), { name: o.fatal.name });
        }
        if (!stopped) onOutcome(o);
        return o;
      }),
    );
  } finally {
    stopped = true;
    await pool.destroy();
  }
}
