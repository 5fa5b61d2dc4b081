/**
 * What the pool executor costs per trial (dispatch, structured cloning, the worker round trip, store
 * writes) next to the evaluation itself, and how well 2 workers overlap evaluations. The evaluator
 * busy-waits a fixed time; NAS-Bench-201 space, random search, SQLite store with a checkpoint per
 * trial. Medians over repeats.
 *
 *   node dist/benchmarks/pool-overhead.js [--evaluations 40] [--eval-ms 50] [--repeats 5] [--out FILE.json]
 */
import { rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerBuiltins } from '../src/wiring/builtins.js';
import { parseRunConfig } from '../src/engine/config.js';
import { loadPlugin } from '../src/wiring/plugins.js';
import { Registries } from '../src/core/registry.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { benchmarkCommand, int, num, parseBenchmark, writeResult } from './lib/command.js';
import { median, timeSearch, type TrialTiming } from './lib/trial-timing.js';

const o = parseBenchmark<{ evaluations: number; evalMs: number; repeats: number; out?: string }>(
  benchmarkCommand('pool-overhead', 'per-trial overhead of the Piscina pool executor against inline evaluation, and how 2 workers overlap; medians over repeats')
    .option('--evaluations <n>', 'evaluations per run', int(2), 40)
    .option('--eval-ms <ms>', 'busy wall time per evaluation', num(0), 50)
    .option('--repeats <n>', 'repeats of every case', int(1), 5)
    .option('--out <file>', 'write the rows as JSON here'),
);
const evaluations = o.evaluations;
const evalMs = o.evalMs;
const repeats = o.repeats;
const plugin = fileURLToPath(new URL('./busy-evaluator.js', import.meta.url));
const registries = registerBuiltins(new Registries());
await loadPlugin(plugin, registries);
const dir = join(tmpdir(), `tsnas-pool-overhead-${process.pid}`);

type Sample = TrialTiming;

async function sample(executor: object, workers: number, run: number): Promise<Sample> {
  const store = new SqliteStore(join(dir, `${run}.sqlite`));
  const config = parseRunConfig({ space: 'nasbench201', strategy: 'random', evaluator: { name: 'busy', options: { ms: evalMs } }, seed: run, budget: { evaluations }, plugins: [plugin], executor });
  try {
    return await timeSearch({ config, store, registries, evalMs, workers });
  } finally {
    store.close();
  }
}

const cases: [string, object, number][] = [
  ['inline', { name: 'inline' }, 1],
  ['pool, 1 worker', { name: 'pool', options: { workers: 1 } }, 1],
  ['pool, 2 workers', { name: 'pool', options: { workers: 2 } }, 2],
];
const samples = new Map<string, Sample[]>(cases.map(([name]) => [name, []]));
let run = 0;
for (let r = 0; r < repeats; r++) for (const [name, executor, workers] of cases) samples.get(name)?.push(await sample(executor, workers, run++));
rmSync(dir, { recursive: true, force: true });

const med = (name: string, key: keyof Sample) => median((samples.get(name) as Sample[]).map((s) => s[key]));
const rows = cases.map(([name, , workers]) => {
  const period = med(name, 'periodMs');
  const wall = med(name, 'wallMs');
  return {
    case: name,
    workers,
    wallS: wall / 1000,
    firstResultMs: med(name, 'firstMs'),
    msPerTrial: period,
    // Per-trial cost beyond the evaluation, from throughput: what one worker loses to the engine.
    overheadMsPerTrial: period * workers - evalMs,
    latencyOverheadMs: med(name, 'latencyOverheadMs'),
    // Against 1 worker: 1.0 means 2 workers finish trials twice as fast.
    efficiency: workers === 1 ? 1 : med('pool, 1 worker', 'periodMs') / (workers * period),
    wallEfficiency: workers === 1 ? 1 : med('pool, 1 worker', 'wallMs') / (workers * wall),
  };
});
console.log(`pool overhead: ${evaluations} evaluations of ${evalMs} ms busy work per run, SQLite store, median of ${repeats} repeats; ${availableParallelism()} cores, load ${loadavg()[0]?.toFixed(1)}`);
console.table(
  rows.map((r) => ({
    case: r.case,
    'wall s': r.wallS.toFixed(2),
    'first result ms': r.firstResultMs.toFixed(0),
    'ms/trial': r.msPerTrial.toFixed(1),
    'overhead ms/trial': r.overheadMsPerTrial.toFixed(1),
    'latency overhead ms': r.latencyOverheadMs.toFixed(2),
    efficiency: r.efficiency.toFixed(2),
    'wall efficiency': r.wallEfficiency.toFixed(2),
  })),
);
writeResult(o.out, { evaluations, evalMs, repeats, cores: availableParallelism(), loadavg: loadavg(), rows });
