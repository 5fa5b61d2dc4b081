/**
 * Training throughput on --backend webgpu (tfjs-backend-webgpu on Dawn) against the CPU path (wasm with
 * the native kernels where built), on the two networks of throughput-vs-pytorch.ts: the proxy CNN and
 * the NAS-FPN detector (nasfpn-paper, 128x128). Every step reads its loss, as a training loop does (on
 * webgpu with await data(): Node cannot read a GPU tensor synchronously). Each backend trains its own
 * copy of the networks, one backend after the other; img/s is the median over repeated blocks.
 *
 *   node dist/benchmarks/webgpu-throughput.js [--repeats 5] [--steps 8] [--batch 64] [--det-steps 4]
 *     [--det-batch 16] [--warmup 10] [--cpu-backend wasm] [--skip-detector] [--out FILE.json]
 *
 * benchmarks/gpu/run.sh runs it on a GPU machine. Without a WebGPU adapter it still measures the CPU
 * path, records why webgpu could not run, and exits 1.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { cpuUsage } from 'node:process';
import { median } from '../src/stats/summary.js';
import { BACKEND_CHOICES, initBackend, type BackendChoice, type BackendInfo } from '../src/tensor/index.js';
import { benchmarkCommand, int, parseBenchmark, writeResult } from './lib/command.js';
import { ProxyCnn } from './workers/proxy-cnn.js';
import { ProxyDetector } from './workers/proxy-detector.js';

interface Options {
  repeats: number;
  steps: number;
  batch: number;
  detSteps: number;
  detBatch: number;
  warmup: number;
  cpuBackend: string;
  skipDetector?: boolean;
  out?: string;
}

const o = parseBenchmark<Options>(
  benchmarkCommand('webgpu-throughput', 'training img/s of the proxy CNN and the NAS-FPN detector on webgpu against the CPU path')
    .option('--repeats <n>', 'timed blocks per network and backend', int(1), 5)
    .option('--steps <n>', 'CNN steps per block', int(1), 8)
    .option('--batch <n>', 'CNN batch', int(1), 64)
    .option('--det-steps <n>', 'detector steps per block', int(1), 4)
    .option('--det-batch <n>', 'detector batch', int(1), 16)
    .option('--warmup <n>', 'untimed steps first (webgpu compiles its shaders in the first)', int(0), 10)
    .option('--cpu-backend <name>', 'the backend to compare with', 'wasm')
    .option('--skip-detector', 'CNN only')
    .option('--out <file>', 'write the results as JSON here'),
);
if (!(BACKEND_CHOICES as readonly string[]).includes(o.cpuBackend) || o.cpuBackend === 'webgpu' || o.cpuBackend === 'auto') {
  console.error(`webgpu-throughput: --cpu-backend must be tensorflow, wasm or cpu, got '${o.cpuBackend}'`);
  process.exit(2);
}

/** One network on one backend: `run(steps)` trains that many steps; `images` per step. */
interface Network {
  name: 'cnn' | 'detector';
  images: number;
  steps: number;
  run(steps: number): Promise<void>;
  dispose(): void;
}

/** The networks, built on the active backend; `async` steps read the loss with data() (webgpu). */
function networks(async: boolean): Network[] {
  const cnn = new ProxyCnn(o.batch);
  let i = 0;
  const list: Network[] = [{
    name: 'cnn', images: o.batch, steps: o.steps,
    run: async (steps) => {
      for (let s = 0; s < steps; s++, i++) finite(async ? await cnn.stepAsync(i) : cnn.step(i));
    },
    dispose: () => cnn.dispose(),
  }];
  if (!o.skipDetector) {
    const det = new ProxyDetector(o.detBatch);
    list.push({
      name: 'detector', images: o.detBatch, steps: o.detSteps,
      run: async (steps) => {
        for (let s = 0; s < steps; s++) finite(async ? await det.stepAsync() : det.step());
      },
      dispose: () => det.dispose(),
    });
  }
  return list;
}

function finite(loss: number): void {
  if (!Number.isFinite(loss)) throw new Error(`training diverged: loss ${loss}`);
}

interface Measured {
  backend: string;
  detail: string;
  /**
   * Per network: img/s of each block and their median; the median ms per step of wall time and of this
   * process's CPU time (all its threads: on webgpu, the JavaScript that dispatches the kernels, and Dawn).
   */
  networks: Record<string, { rates: number[]; median: number; msPerStep: number; cpuMs: number[]; cpuMsPerStep: number; batch: number }>;
}

async function measure(choice: BackendChoice): Promise<Measured> {
  const info: BackendInfo = await initBackend(choice);
  const out: Measured = { backend: info.name, detail: info.detail, networks: {} };
  for (const net of networks(info.name === 'webgpu')) {
    const started = performance.now();
    await net.run(o.warmup);
    console.log(`${info.name} ${net.name}: warm-up ${o.warmup} steps in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const rates: number[] = [];
    const cpuMs: number[] = [];
    for (let r = 0; r < o.repeats; r++) {
      const c0 = cpuUsage();
      const t0 = performance.now();
      await net.run(net.steps);
      rates.push((net.steps * net.images) / ((performance.now() - t0) / 1000));
      const c = cpuUsage(c0);
      cpuMs.push((c.user + c.system) / 1000 / net.steps);
    }
    const m = median(rates);
    out.networks[net.name] = {
      rates: rates.map((x) => Number(x.toFixed(1))),
      median: Number(m.toFixed(1)),
      msPerStep: Number(((1000 * net.images) / m).toFixed(1)),
      cpuMs: cpuMs.map((x) => Number(x.toFixed(1))),
      cpuMsPerStep: Number(median(cpuMs).toFixed(1)),
      batch: net.images,
    };
    net.dispose();
  }
  return out;
}

async function main(): Promise<number> {
  const result: Record<string, unknown> = {
    benchmark: 'webgpu-throughput',
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), node: process.version, loadStart: loadavg()[0] },
    options: o,
  };
  const cpu = await measure(o.cpuBackend as BackendChoice);
  result.cpu = cpu;
  writeResult(o.out, result); // kept if webgpu then fails or hangs
  let gpu: Measured;
  try {
    gpu = await measure('webgpu');
  } catch (e) {
    result.webgpu = { error: e instanceof Error ? e.message : String(e) };
    writeResult(o.out, result);
    console.error(`webgpu-throughput: webgpu did not run: ${String((result.webgpu as { error: string }).error)}`);
    return 1;
  }
  result.webgpu = gpu;
  const rows = Object.entries(cpu.networks).map(([name, c]) => {
    const g = gpu.networks[name]!;
    return {
      network: name,
      batch: c.batch,
      [`${cpu.backend} img/s`]: c.median,
      'webgpu img/s': g.median,
      'webgpu / cpu': Number((g.median / c.median).toFixed(2)),
      [`${cpu.backend} CPU ms/step`]: c.cpuMsPerStep,
      'webgpu CPU ms/step': g.cpuMsPerStep,
    };
  });
  result.ratios = Object.fromEntries(rows.map((r) => [r.network, r['webgpu / cpu']]));
  result.loadEnd = loadavg()[0];
  console.log(`cpu path: ${cpu.detail}\nwebgpu: ${gpu.detail}`);
  console.table(rows);
  writeResult(o.out, result);
  return 0;
}

// Exits explicitly: a live Dawn device can keep Node's event loop alive (dawn.node's lifetime note).
main().then((code) => process.exit(code), (e: unknown) => {
  console.error(`webgpu-throughput: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  process.exit(1);
});
