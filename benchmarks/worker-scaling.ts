/**
 * Aggregate training throughput of a fixed proxy network (the CNN of benchmarks/workers/proxy-cnn.ts,
 * the NAS-FPN detector of proxy-detector.ts or NASNet-A's cells of proxy-nasnet.ts; wasm backend with tsnas's kernels) with 1 and with N Piscina workers, each training its own copy for a fixed number of steps,
 * as parallel child training does. Parallel efficiency = rate(N) / (N x rate(1)); medians over repeats.
 * The 1- and N-worker rounds alternate within the run, so drifting machine load hits both alike. On a
 * shared machine the wall-clock efficiency mostly measures the cores other jobs leave free, so each
 * worker also reports its own on-CPU time (Linux schedstat): images per CPU-second, per worker, show
 * whether workers slow each other down (memory bandwidth, caches) apart from that.
 *
 *   node dist/benchmarks/worker-scaling.js [--model cnn|detector|nasnet] [--workers 2] [--repeats 5]
 *     [--steps 8 (cnn) | 20 (detector) | 8 (nasnet)] [--warmup 20 | 40 | 20] [--batch 64 | 16 | 32]
 *     [--out FILE.json]
 */
import { availableParallelism, loadavg } from 'node:os';
import { Option } from 'commander';
import { Piscina } from 'piscina';
import { median } from '../src/stats/summary.js';
import { benchmarkCommand, int, parseBenchmark, writeResult } from './lib/command.js';
import { PROXY_MODELS, type ProxyModel, type WorkerResult, type WorkerTask } from './workers/train-worker.js';

const o = parseBenchmark<{ workers: number; repeats: number; steps?: number; warmup?: number; model: string; batch?: number; out?: string }>(
  benchmarkCommand('worker-scaling', 'aggregate training throughput of a proxy network with 1 and with N Piscina workers; medians over repeats')
    .addOption(new Option('--model <name>', 'the network trained').choices([...PROXY_MODELS]).default('cnn'))
    .option('--workers <n>', 'workers of the parallel rounds', int(1), 2)
    .option('--repeats <n>', 'rounds of each', int(1), 5)
    .option('--steps <n>', 'timed steps per worker per round (default 8 for cnn and nasnet, 20 for detector)', int(1))
    .option('--warmup <n>', 'untimed steps first in every round (default 20 | 40 | 20)', int(0))
    .option('--batch <n>', 'images per step (default 64 | 16 | 32)', int(1))
    .option('--out <file>', 'write the results as JSON here'),
);
const N = o.workers;
const MODEL = o.model as ProxyModel;
const DEFAULTS: Record<ProxyModel, { batch: number; steps: number; warmup: number; description: (batch: number) => string }> = {
  cnn: { batch: 64, steps: 8, warmup: 20, description: (b) => `proxy CNN (66k params, 32x32x3, batch ${b}, Adam)` },
  detector: { batch: 16, steps: 20, warmup: 40, description: (b) => `NAS-FPN detector (nasfpn-paper, 235k params, 128x128x1, batch ${b}, Adam)` },
  nasnet: { batch: 32, steps: 8, warmup: 20, description: (b) => `NASNet-A cells (28x28x1, N 1, F 8, 2 reductions, batch ${b}, Adam)` },
};
const BATCH = o.batch ?? DEFAULTS[MODEL].batch;
// Timed steps per worker per round (about a second of work), and untimed steps before them in every
// round: V8 keeps re-optimising tfjs's dispatch code for the first ~40 detector steps, on background
// threads that compete with the other worker; a search's workers run thousands of steps.
const STEPS = o.steps ?? DEFAULTS[MODEL].steps;
const WARMUP = o.warmup ?? DEFAULTS[MODEL].warmup;
const DESCRIPTION = DEFAULTS[MODEL].description(BATCH);
const load = () => Number(loadavg()[0]?.toFixed(2));

// One pool of N threads serves both cases: the 1-worker round just submits one task. Each worker
// keeps its wasm backend and model between rounds, so start-up never enters a timed window.
const pool = new Piscina<WorkerTask, WorkerResult>({
  filename: new URL('./workers/train-worker.js', import.meta.url).href,
  minThreads: N,
  maxThreads: N,
});

/** One round: `parties` workers warm up, meet at a barrier, then each times `steps` steps. */
async function round(parties: number, steps: number, warmup: number) {
  const barrier = new SharedArrayBuffer(4);
  const task: WorkerTask = { model: MODEL, steps, warmup, batchSize: BATCH, barrier, parties };
  const results = await Promise.all(Array.from({ length: parties }, () => pool.run(task)));
  if (new Set(results.map((r) => r.threadId)).size !== parties) throw new Error('two tasks of one round ran on the same worker');
  // Aggregate over the common window: all started together; the slowest worker ends it.
  const images = results.reduce((s, r) => s + r.images, 0);
  return {
    /** The workers' tensor backend (all alike), for the report. */
    backend: results[0]!.backend,
    rate: images / Math.max(...results.map((r) => r.seconds)),
    perWorker: results.map((r) => r.images / r.seconds),
    // Per worker: images per second on a CPU (insensitive to how many cores other jobs leave us), and
    // the share of its wall time it got a CPU / waited for one.
    perCpuSecond: results.map((r) => r.images / r.cpuSeconds),
    cpuShare: results.map((r) => r.cpuSeconds / r.seconds),
    waitShare: results.map((r) => r.waitSeconds / r.seconds),
    load: load(),
  };
}

async function main(): Promise<void> {
  const loadStart = loadavg();
  const steps = STEPS;
  // Start-up round: every worker loads wasm and builds the model before anything is timed.
  await round(N, 1, WARMUP);
  const cases = new Map<number, Awaited<ReturnType<typeof round>>[]>([[1, []], [N, []]]);
  for (let r = 0; r < o.repeats; r++) {
    for (const parties of cases.keys()) cases.get(parties)!.push(await round(parties, steps, WARMUP));
  }
  await pool.destroy();

  const rate1 = median(cases.get(1)!.map((s) => s.rate));
  const backend = cases.get(1)![0]!.backend;
  const cpuRate1 = median(cases.get(1)!.flatMap((s) => s.perCpuSecond));
  const rows = [...cases].map(([workers, samples]) => {
    const rate = median(samples.map((s) => s.rate));
    return {
      workers,
      imagesPerSecond: rate,
      min: Math.min(...samples.map((s) => s.rate)),
      max: Math.max(...samples.map((s) => s.rate)),
      perWorkerImagesPerSecond: median(samples.flatMap((s) => s.perWorker)),
      speedup: rate / rate1,
      efficiency: rate / (workers * rate1),
      perWorkerImagesPerCpuSecond: median(samples.flatMap((s) => s.perCpuSecond)),
      /** 1.0: workers do not slow each other's computation; wall efficiency below it is cores other jobs hold. */
      cpuEfficiency: median(samples.flatMap((s) => s.perCpuSecond)) / cpuRate1,
      cpuShare: median(samples.flatMap((s) => s.cpuShare)),
      waitShare: median(samples.flatMap((s) => s.waitShare)),
      load: median(samples.map((s) => s.load)),
    };
  });
  console.log(`worker scaling: ${DESCRIPTION}, ${backend}, ${steps} timed steps per worker per round, ` +
    `median of ${o.repeats} rounds; ${availableParallelism()} cores; load at start ${loadStart.map((l) => l.toFixed(2)).join(' ')}`);
  console.table(rows.map((r) => ({
    workers: r.workers, 'img/s (median)': r.imagesPerSecond.toFixed(1), 'min..max': `${r.min.toFixed(0)}..${r.max.toFixed(0)}`,
    'img/s per worker': r.perWorkerImagesPerSecond.toFixed(1), speedup: r.speedup.toFixed(2), efficiency: r.efficiency.toFixed(2),
    'img/CPU-s per worker': r.perWorkerImagesPerCpuSecond.toFixed(1), 'CPU-normalised efficiency': r.cpuEfficiency.toFixed(2),
    'on CPU %': (100 * r.cpuShare).toFixed(0), 'waiting for CPU %': (100 * r.waitShare).toFixed(0), load: r.load.toFixed(2),
  })));
  if (N > availableParallelism()) console.warn(`note: ${N} workers on ${availableParallelism()} cores: efficiency cannot reach 1`);
  writeResult(o.out, { model: MODEL, backend, workers: N, steps, batch: BATCH, repeats: o.repeats, cores: availableParallelism(), loadavgStart: loadStart, loadavgEnd: loadavg(), rows });
}

main().catch(async (e: unknown) => {
  console.error(`worker-scaling: ${e instanceof Error ? e.message : String(e)}`);
  await pool.destroy();
  process.exit(1);
});
