import { describeError } from '../core/describe-error.js';
import { isTsnasError } from '../core/errors.js';
import type { Registries } from '../core/registry.js';
import { loadRegistries } from '../wiring/registries.js';
import type { BenchTask, WorkerOutcome } from './bench-pool.js';
import { benchRun, type BenchEntry } from './tabular-bench.js';

// Worker-thread entry of `tsnas bench --workers` (loaded by Piscina through its default export): runs
// one (strategy, seed) run as the main thread would, with the bench's plugins loaded here too.

/** Registries by plugin list: built once per worker, as loading a plugin twice would register it twice. */
const registries = new Map<string, Promise<Registries>>();

export default async function runTask(task: BenchTask): Promise<WorkerOutcome> {
  const key = JSON.stringify(task.config.plugins);
  let r = registries.get(key);
  if (!r) registries.set(key, (r = loadRegistries(task.config.plugins)));
  try {
    return await benchRun(task.config, task.config.entries[task.entry] as BenchEntry, task.seed, await r);
  } catch (e) {
    // A tsnas error stops the bench; only its name and message cross the thread, so send them as data.
    if (isTsnasError(e)) return { fatal: { name: e.name, message: e.message } };
    throw e instanceof Error ? e : new Error(describeError(e));
  }
}
