/**
 * What the queue executor costs per trial (job add, Redis, a worker's fetch, its Piscina pool, the
 * completion event back to the driver) next to the Piscina pool in the driver's own process, with
 * the same busy evaluator, and how it scales with 1, 2 and 4 `tsnas worker` processes (one trial at a
 * time each) on this machine. Starts its own redis-server (Debian's `redis-server`). NAS-Bench-201
 * space, random search, SQLite store with a checkpoint per trial; medians over repeats.
 *
 * `--loops N` replaces the 50 ms of busy wall time with N iterations of arithmetic (fixed CPU work), so
 * that workers sharing a core take longer: the honest measure of scaling on 2 cores.
 *
 *   node dist/benchmarks/queue-overhead.js [--evaluations 40] [--eval-ms 50 | --loops N] [--repeats 3] [--out FILE.json]
 */
import { mkdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Evaluator } from '../src/core/evaluator.js';
import type { Executor } from '../src/core/executor.js';
import { parseRunConfig, type RunConfig } from '../src/engine/config.js';
import { pluginIdentity } from '../src/exec/queue/plugin-identity.js';
import { QueueExecutor } from '../src/exec/queue/queue-executor.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { loadRegistries } from '../src/wiring/registries.js';
import { TestRedis, TestWorker } from '../test/helpers/redis-server.js';
import { benchmarkCommand, int, num, parseBenchmark, writeResult } from './lib/command.js';
import { median, timeSearch, type TrialTiming } from './lib/trial-timing.js';

const o = parseBenchmark<{ evaluations: number; evalMs: number; loops: number; repeats: number; out?: string }>(
  benchmarkCommand('queue-overhead', 'per-trial overhead of the queue executor (Redis, tsnas worker processes) against the Piscina pool, and scaling with 1, 2 and 4 worker processes; medians over repeats')
    .option('--evaluations <n>', 'evaluations per run', int(2), 40)
    .option('--eval-ms <ms>', 'busy wall time per evaluation', num(0), 50)
    .option('--loops <n>', 'if > 0: this many iterations of arithmetic per evaluation instead (fixed CPU work)', int(0), 0)
    .option('--repeats <n>', 'repeats of every case', int(1), 3)
    .option('--out <file>', 'write the rows as JSON here'),
);
const evaluations = o.evaluations;
const evalMs = o.evalMs;
const loops = o.loops;
const repeats = o.repeats;
const plugin = fileURLToPath(new URL('./busy-evaluator.js', import.meta.url));
const registries = await loadRegistries([plugin]);
const dir = join(tmpdir(), `tsnas-queue-overhead-${process.pid}`);
mkdirSync(dir, { recursive: true });
const redis = await TestRedis.start();

interface Case {
  readonly name: string;
  /** Pool threads in the driver, or worker processes on the queue. */
  readonly workers: number;
  readonly queue: boolean;
}

const configOf = (c: Case, run: number): RunConfig =>
  parseRunConfig({
    space: 'nasbench201',
    strategy: 'random',
    evaluator: { name: 'busy', options: { ms: evalMs, loops } },
    seed: run,
    budget: { evaluations },
    plugins: [plugin],
    executor: c.queue ? 'queue' : { name: 'pool', options: { workers: c.workers } },
  });

async function sample(c: Case, run: number): Promise<TrialTiming> {
  const name = `bench-${run}`;
  const store = new SqliteStore(join(dir, `${name}.sqlite`));
  const config = configOf(c, run);
  // The workers start (and load their modules) before the clock does, as they would on other machines.
  const workers = c.queue ? Array.from({ length: c.workers }, () => new TestWorker(['--redis', redis.url, '--plugin', plugin, '--concurrency', '1', '--experiment', name])) : [];
  try {
    await Promise.all(workers.map((w) => w.waitFor(/following/)));
    const makeExecutor = (evaluator: Evaluator): Executor =>
      new QueueExecutor({ url: redis.url, queue: name, space: config.space, evaluator: config.evaluator, plugins: [pluginIdentity(plugin)], limits: { trialTimeoutSeconds: 0, setupTimeoutSeconds: 0, memoryLimitMb: 0 }, mainEvaluator: evaluator });
    return await timeSearch({
      config,
      store,
      registries,
      evalMs,
      workers: c.workers,
      ...(c.queue ? { makeExecutor, onParts: (parts) => (parts.executor as QueueExecutor).ready() } : {}),
    });
  } finally {
    store.close();
    await Promise.all(workers.map((w) => w.kill('SIGTERM')));
  }
}

const cases: Case[] = [
  { name: 'pool, 1 worker thread', workers: 1, queue: false },
  { name: 'pool, 2 worker threads', workers: 2, queue: false },
  { name: 'queue, 1 worker process', workers: 1, queue: true },
  { name: 'queue, 2 worker processes', workers: 2, queue: true },
  { name: 'queue, 4 worker processes', workers: 4, queue: true },
];
const samples = new Map<string, TrialTiming[]>(cases.map((c) => [c.name, []]));
let run = 0;
try {
  for (let r = 0; r < repeats; r++) for (const c of cases) samples.get(c.name)?.push(await sample(c, run++));
} finally {
  await redis.dispose();
  rmSync(dir, { recursive: true, force: true });
}

const med = (name: string, key: keyof TrialTiming) => median((samples.get(name) as TrialTiming[]).map((s) => s[key]));
const rows = cases.map((c) => {
  const period = med(c.name, 'periodMs');
  // Against one of the same kind: 1.0 means n workers finish trials n times as fast.
  const single = med(c.queue ? 'queue, 1 worker process' : 'pool, 1 worker thread', 'periodMs');
  return {
    case: c.name,
    workers: c.workers,
    wallS: med(c.name, 'wallMs') / 1000,
    msPerTrial: period,
    evalMs: med(c.name, 'evalMs'),
    overheadMsPerTrial: period * c.workers - med(c.name, 'evalMs'),
    trialsPerS: 1000 / period,
    latencyOverheadMs: med(c.name, 'latencyOverheadMs'),
    speedup: single / period,
    efficiency: single / (c.workers * period),
  };
});
const work = loops > 0 ? `${loops} loops of arithmetic` : `${evalMs} ms busy work`;
console.log(`queue overhead: ${evaluations} evaluations of ${work} per run, SQLite store, median of ${repeats} repeats; ${availableParallelism()} cores, load ${loadavg()[0]?.toFixed(1)}`);
console.table(
  rows.map((r) => ({
    case: r.case,
    'wall s': r.wallS.toFixed(2),
    'eval ms': r.evalMs.toFixed(1),
    'ms/trial': r.msPerTrial.toFixed(1),
    'trials/s': r.trialsPerS.toFixed(1),
    'overhead ms/trial': r.overheadMsPerTrial.toFixed(1),
    'latency overhead ms': r.latencyOverheadMs.toFixed(2),
    speedup: r.speedup.toFixed(2),
    efficiency: r.efficiency.toFixed(2),
  })),
);
writeResult(o.out, { evaluations, evalMs, loops, repeats, cores: availableParallelism(), loadavg: loadavg(), rows });
