/**
 * Training throughput of tsnas (tfjs wasm backend + the project's training kernels, native OpenBLAS ones
 * where built; TSNAS_NATIVE=0 measures without them; 1 thread) against
 * PyTorch (1 thread, and 2 as an extra row) on the same networks, same machine, one run: the two
 * frameworks' timed blocks are interleaved repeat by repeat (PyTorch runs in a child process that
 * idles while tsnas runs), so drifting machine load hits both alike. Also profiles where tsnas's
 * training step spends its time, kernel by kernel (tf.profile).
 *
 *   node dist/benchmarks/throughput-vs-pytorch.js [--repeats 5] [--steps 8] [--warmup 30] [--batch 64]
 *     [--det-steps 4] [--det-batch 16] [--skip-detector] [--nasnet-steps 4] [--nasnet-batch 32] [--skip-nasnet]
 *     [--python /usr/bin/python3] [--omp-wait-policy PASSIVE] [--settle-ms 300]
 *     [--peak-gflops 175] [--profile-steps 5] [--profile-top 10]
 *     [--out FILE.json]
 *
 * Networks: the proxy CNN of benchmarks/workers/proxy-cnn.ts, and the project's NAS-FPN detector of
 * proxy-detector.ts (nasfpn-paper genotype, 128x128, default space config), and NASNet-A's cell network of
 * proxy-nasnet.ts (the classification proxy's default child); benchmarks/pytorch/train_throughput.py
 * rebuilds all three (the detector from the resolved pyramid written here, NASNet from its cells'
 * spec). Training FLOPs = 3 x forward.
 */
import * as tf from '@tensorflow/tfjs-core';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { anchorsPerLocation, assignTargets } from '../src/tasks/detection/anchors.js';
import { resolvePyramid } from '../src/spaces/nasfpn/graph.js';
import { NAMED_PYRAMIDS } from '../src/spaces/nasfpn/named.js';
import { DEFAULT_NASFPN_CONFIG } from '../src/spaces/nasfpn/space.js';
import { median } from '../src/stats/summary.js';
import { initBackend } from '../src/tensor/index.js';
import { benchmarkCommand, int, num, parseBenchmark, writeResult } from './lib/command.js';
import { CNN_LAYERS, cnnForwardFlops, ProxyCnn } from './workers/proxy-cnn.js';
import { DETECTOR_GENOTYPE, ProxyDetector } from './workers/proxy-detector.js';
import { NASNET_LAYERS, NASNET_PROXY_NET, nasNetSpec, ProxyNasNet } from './workers/proxy-nasnet.js';

interface Options {
  repeats: number;
  steps: number;
  warmup: number;
  batch: number;
  detSteps: number;
  detBatch: number;
  skipDetector?: boolean;
  nasnetSteps: number;
  nasnetBatch: number;
  skipNasnet?: boolean;
  python: string;
  ompWaitPolicy?: string;
  settleMs: number;
  peakGflops: number;
  profileSteps: number;
  profileTop: number;
  out?: string;
}

const o = parseBenchmark<Options>(
  benchmarkCommand('throughput-vs-pytorch', "training throughput of tsnas against PyTorch on the proxy CNN, the NAS-FPN detector and NASNet-A's cells, and where tsnas's step spends its time")
    .option('--repeats <n>', 'timed blocks per case', int(1), 5)
    .option('--steps <n>', 'CNN steps per block', int(1), 8)
    .option('--warmup <n>', 'untimed steps first (V8 settles its optimised code over the first ~40)', int(0), 30)
    .option('--batch <n>', 'CNN batch', int(1), 64)
    .option('--det-steps <n>', 'detector steps per block', int(1), 4)
    .option('--det-batch <n>', 'detector batch', int(1), 16)
    .option('--skip-detector', 'no detector cases')
    .option('--nasnet-steps <n>', 'NASNet-A steps per block', int(1), 4)
    .option('--nasnet-batch <n>', 'NASNet-A batch', int(1), 32)
    .option('--skip-nasnet', 'no NASNet-A cases')
    .option('--python <path>', 'the Python with torch', '/usr/bin/python3')
    // PASSIVE stops libgomp spin-waiting, which collapses PyTorch's 2-thread rate on a loaded machine.
    .option('--omp-wait-policy <policy>', "PyTorch's OMP_WAIT_POLICY (e.g. PASSIVE)")
    // So that no block starts while the previous case's threads may still spin (libgomp's, after
    // PyTorch's 2-thread rows). Measured on 2 cores: no change a run could separate from the VM's
    // ±10 % (tsnas's detector 188.8 img/s with 300 ms, 187.7-196.2 without).
    .option('--settle-ms <n>', 'idle pause before each timed block, so no case runs beside the last one\'s spinning threads', int(0), 300)
    .option('--peak-gflops <x>', "the machine's peak GFLOP/s, for the share-of-peak columns", num(0), 175)
    .option('--profile-steps <n>', 'CNN steps profiled kernel by kernel', int(1), 5)
    .option('--profile-top <n>', 'kernels listed per profile', int(1), 10)
    .option('--out <file>', 'write the results as JSON here'),
);
const repeats = o.repeats;
const warmup = o.warmup;
const cores = availableParallelism();
const peakPerCore = o.peakGflops / cores;
const ompPolicy = o.ompWaitPolicy ?? process.env.OMP_WAIT_POLICY ?? 'default';
const load = () => Number(loadavg()[0]?.toFixed(2));
const PY_SCRIPT = fileURLToPath(new URL('../../benchmarks/pytorch/train_throughput.py', import.meta.url));
const INSTALL_HINT = 'apt-get update && apt-get install -y python3-torch (then run with --python /usr/bin/python3)';

/** A timed block: `steps` training steps of one model in one framework. */
interface Case {
  name: string;
  model: 'cnn' | 'detector' | 'nasnet';
  framework: 'tsnas' | 'pytorch';
  threads: number;
  steps: number;
  flops: number;
  run(steps: number): Promise<{ seconds: number; cpuSeconds: number; images: number }>;
  rates: number[];
  /** Images per CPU-second of the whole process (all its threads): less sensitive to other jobs' load. */
  cpuRates: number[];
  /** CPU-seconds per second: the cores the case actually got. */
  cpuShares: number[];
  loads: number[];
}

/** The PyTorch child: one JSON request per line, one reply per line. */
class Torch {
  private readonly proc;
  private readonly lines;
  private stderr = '';

  constructor(python: string) {
    const env = o.ompWaitPolicy ? { ...process.env, OMP_WAIT_POLICY: o.ompWaitPolicy } : process.env;
    this.proc = spawn(python, [PY_SCRIPT, '--serve'], { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.proc.stdin.on('error', () => {}); // a dead child shows up as the end of its output, with its stderr
    this.proc.stderr.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-4000); });
    this.lines = createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();
  }

  async call(cmd: object): Promise<Record<string, number | string>> {
    this.proc.stdin.write(JSON.stringify(cmd) + '\n');
    const { value, done } = await this.lines.next();
    if (done) throw new Error(`the PyTorch process exited: ${this.stderr.trim()}`);
    const reply = JSON.parse(value as string) as Record<string, number | string>;
    if (typeof reply.error === 'string') throw new Error(`PyTorch: ${reply.error}`);
    return reply;
  }

  close(): void {
    this.proc.stdin.end();
  }
}

/** Why PyTorch cannot run here, or undefined when it can. */
function torchMissing(python: string): string | undefined {
  if (!existsSync(PY_SCRIPT)) return `${PY_SCRIPT} not found (run from a full checkout)`;
  const r = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (r.error) return `${python} cannot be run (${r.error.message})`;
  if (r.status !== 0) return `${python} cannot import torch (${r.stderr.trim().split('\n').at(-1)})`;
  return undefined;
}

/**
 * tf.profile of `steps` training steps, one at a time: per kernel name, the median over steps of its
 * ms per step (kernel times are wall times, and the median drops steps where another job preempted us).
 */
async function profile(steps: number, step: (i: number) => void, top = 10) {
  const walls: number[] = [];
  const perStep: Map<string, { ms: number; calls: number }>[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    const p = await tf.profile(() => { step(i); });
    walls.push(performance.now() - t0);
    const by = new Map<string, { ms: number; calls: number }>();
    for (const k of p.kernels) {
      const e = by.get(k.name) ?? { ms: 0, calls: 0 };
      e.ms += k.kernelTimeMs as number;
      e.calls++;
      by.set(k.name, e);
    }
    perStep.push(by);
  }
  const wallMs = median(walls);
  const kernelMs = median(perStep.map((by) => [...by.values()].reduce((s, e) => s + e.ms, 0)));
  const names = new Set(perStep.flatMap((by) => [...by.keys()]));
  const kernels = [...names].map((name) => ({
    kernel: name,
    msPerStep: median(perStep.map((by) => by.get(name)?.ms ?? 0)),
    callsPerStep: median(perStep.map((by) => by.get(name)?.calls ?? 0)),
  })).sort((a, b) => b.msPerStep - a.msPerStep).slice(0, top).map((k) => ({ ...k, shareOfStep: k.msPerStep / wallMs }));
  return { steps, wallMsPerStep: wallMs, kernelMsPerStep: kernelMs, outsideKernelsMsPerStep: wallMs - kernelMs, load: load(), kernels };
}

async function main(): Promise<void> {
  const loadStart = loadavg();
  const backend = await initBackend('wasm');
  const kernels = backend.native === true ? 'wasm + native OpenBLAS kernels' : 'wasm kernels only';
  const missing = torchMissing(o.python);
  if (missing) console.warn(`PyTorch is not available: ${missing}.\nInstall it with: ${INSTALL_HINT}\nMeasuring tsnas only.\n`);
  const torch = missing ? undefined : new Torch(o.python);
  const cases: Case[] = [];
  const models: Record<string, object> = {};
  const add = (c: Omit<Case, 'rates' | 'cpuRates' | 'cpuShares' | 'loads'>) => cases.push({ ...c, rates: [], cpuRates: [], cpuShares: [], loads: [] });
  const timed = (steps: number, batch: number, step: (i: number) => void) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < steps; i++) step(i);
    const c = process.cpuUsage(c0);
    return Promise.resolve({ seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6, images: steps * batch });
  };
  const torchCases = async (name: string, model: Case['model'], steps: number, build: object, tsnas: { params: number; flops: number }) => {
    if (!torch) return;
    const r = await torch.call({ op: 'build', name, ...build });
    models[`${model} (pytorch ${r.torch})`] = { params: r.params, forwardFlopsPerImage: r.flops };
    if (r.params !== tsnas.params || r.flops !== tsnas.flops) {
      console.warn(`warning: ${model} differs between frameworks: params ${tsnas.params} vs ${r.params}, FLOPs ${tsnas.flops} vs ${r.flops}`);
    }
    for (const threads of [1, 2]) {
      add({ name: `pytorch ${model}, ${threads} thread${threads > 1 ? 's' : ''}`, model, framework: 'pytorch', threads, steps, flops: tsnas.flops,
        run: async (n) => {
          const x = await torch.call({ op: 'run', name, threads, steps: n });
          return { seconds: x.seconds as number, cpuSeconds: x.cpuSeconds as number, images: x.images as number };
        } });
    }
  };

  // The CNN.
  const batch = o.batch;
  const cnn = new ProxyCnn(batch);
  const cnnSize = { params: cnn.params.count(), flops: cnnForwardFlops() };
  models['cnn (tsnas)'] = { layers: CNN_LAYERS, input: [batch, 32, 32, 3], params: cnnSize.params, forwardFlopsPerImage: cnnSize.flops };
  add({ name: `tsnas cnn, 1 thread (${kernels})`, model: 'cnn', framework: 'tsnas', threads: 1, steps: o.steps, flops: cnnSize.flops,
    run: (n) => timed(n, batch, (i) => cnn.step(i)) });
  await torchCases('cnn', 'cnn', o.steps, { kind: 'cnn', batch }, cnnSize);

  // The NAS-FPN detector, on one fixed batch of the project's synthetic digit data.
  const tmp = mkdtempSync(join(tmpdir(), 'tsnas-vs-torch-'));
  let det: ProxyDetector | undefined;
  let detStep: ((i: number) => void) | undefined;
  if (!o.skipDetector) {
    const detBatch = o.detBatch;
    const genotype = NAMED_PYRAMIDS[DETECTOR_GENOTYPE]!;
    const proxy = new ProxyDetector(detBatch);
    det = proxy;
    const { config, detector: d, batch: b } = proxy;
    detStep = () => { proxy.step(); };
    models['detector (tsnas)'] = { genotype: DETECTOR_GENOTYPE, space: DEFAULT_NASFPN_CONFIG, input: b.shape, params: d.size.params, forwardFlopsPerImage: d.size.flops };
    add({ name: `tsnas detector, 1 thread (${kernels})`, model: 'detector', framework: 'tsnas', threads: 1, steps: o.detSteps, flops: d.size.flops,
      run: (n) => timed(n, detBatch, detStep!) });
    const t = assignTargets(d.anchors, b.objects);
    const files = { images: b.images, labels: t.labels, boxes: t.boxes };
    const spec: Record<string, unknown> = {
      imageSize: config.imageSize, classes: config.classes, anchors: anchorsPerLocation(config.anchors), backboneWidths: config.backboneWidths,
      channels: config.pyramid.channels, repeats: config.pyramid.repeats, minLevel: config.pyramid.minLevel, maxLevel: config.pyramid.maxLevel,
      headConvs: config.headConvs, headChannels: config.headChannels, headNorm: config.headNorm,
      pyramid: resolvePyramid(genotype, config.pyramid), batch: detBatch, positives: t.positives,
    };
    for (const [key, data] of Object.entries(files)) {
      spec[key] = join(tmp, `${key}.bin`);
      spec[`${key}Count`] = data.length;
      writeFileSync(spec[key] as string, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
    writeFileSync(join(tmp, 'spec.json'), JSON.stringify(spec));
    await torchCases('det', 'detector', o.detSteps, { kind: 'detector', spec: join(tmp, 'spec.json') }, d.size);
  }

  // NASNet-A's cells on the classification proxy's default child.
  let nasnet: ProxyNasNet | undefined;
  if (!o.skipNasnet) {
    const n = new ProxyNasNet(o.nasnetBatch);
    nasnet = n;
    models['nasnet (tsnas)'] = { layers: NASNET_LAYERS, input: [o.nasnetBatch, ...NASNET_PROXY_NET.imageShape], params: n.net.size.params, forwardFlopsPerImage: n.net.size.flops };
    add({ name: `tsnas nasnet, 1 thread (${kernels})`, model: 'nasnet', framework: 'tsnas', threads: 1, steps: o.nasnetSteps, flops: n.net.size.flops,
      run: (k) => timed(k, o.nasnetBatch, (i) => n.step(i)) });
    await torchCases('nasnet', 'nasnet', o.nasnetSteps, { kind: 'nasnet', spec: nasNetSpec(o.nasnetBatch) }, n.net.size);
  }

  console.log(`${backend.detail}; OMP_WAIT_POLICY ${ompPolicy}; ${o.settleMs} ms pause before each block; ${cores} cores; load ${loadStart.map((l) => l.toFixed(2)).join(' ')}; warm-up ${warmup} steps, then ${repeats} interleaved repeats`);
  for (const c of cases) await c.run(warmup);
  for (let r = 0; r < repeats; r++) {
    for (const c of cases) {
      await new Promise((resolve) => setTimeout(resolve, o.settleMs));
      const { seconds, cpuSeconds, images } = await c.run(c.steps);
      c.rates.push(images / seconds);
      c.cpuRates.push(images / cpuSeconds);
      c.cpuShares.push(cpuSeconds / seconds);
      c.loads.push(load());
    }
  }

  // Profiles after the timed runs, so profiling overhead never enters them.
  const profiles: Record<string, Awaited<ReturnType<typeof profile>>> = { cnn: await profile(o.profileSteps, (i) => cnn.step(i), o.profileTop) };
  if (detStep) profiles.detector = await profile(3, detStep, o.profileTop);
  if (nasnet) profiles.nasnet = await profile(3, (i) => nasnet.step(i), o.profileTop);
  torch?.close();
  rmSync(tmp, { recursive: true, force: true });

  const tsnas = (model: string) => cases.find((c) => c.framework === 'tsnas' && c.model === model)!;
  const tsnasRate = (model: string) => median(tsnas(model).rates);
  const tsnasCpuRate = (model: string) => median(tsnas(model).cpuRates);
  const rows = cases.map((c) => {
    const rate = median(c.rates);
    const gflops = (rate * 3 * c.flops) / 1e9;
    return {
      case: c.name, model: c.model, framework: c.framework, threads: c.threads,
      imagesPerSecond: rate, min: Math.min(...c.rates), max: Math.max(...c.rates),
      vsTsnas: rate / tsnasRate(c.model),
      imagesPerCpuSecond: median(c.cpuRates),
      // Per CPU-second against one core's peak: what the code achieves when it does run.
      shareOfPeakPerCpuSecond: (median(c.cpuRates) * 3 * c.flops) / 1e9 / peakPerCore,
      cpuVsTsnas: median(c.cpuRates) / tsnasCpuRate(c.model),
      coresUsed: median(c.cpuShares),
      trainGflopsPerSecond: gflops, shareOfPeak: gflops / (peakPerCore * Math.min(c.threads, cores)),
      load: median(c.loads),
    };
  });
  console.table(rows.map((r) => ({
    case: r.case, 'img/s (median)': r.imagesPerSecond.toFixed(1), 'min..max': `${r.min.toFixed(0)}..${r.max.toFixed(0)}`,
    'x tsnas': r.vsTsnas.toFixed(2), 'GFLOP/s': r.trainGflopsPerSecond.toFixed(1), '% of peak': (100 * r.shareOfPeak).toFixed(1),
    'img/CPU-s': r.imagesPerCpuSecond.toFixed(1), 'x tsnas (CPU)': r.cpuVsTsnas.toFixed(2), '% of core peak per CPU-s': (100 * r.shareOfPeakPerCpuSecond).toFixed(1), 'cores used': r.coresUsed.toFixed(2), load: r.load.toFixed(2),
  })));
  for (const [name, m] of Object.entries(models)) console.log(`${name}: ${JSON.stringify(m)}`);
  for (const [name, p] of Object.entries(profiles)) {
    console.log(`\ntsnas ${name}, where a training step's time goes (tf.profile, median of ${p.steps} steps: ${p.wallMsPerStep.toFixed(0)} ms/step profiled, ` +
      `${p.outsideKernelsMsPerStep.toFixed(0)} ms outside kernels, load ${p.load}):`);
    console.table(p.kernels.map((k) => ({ kernel: k.kernel, 'ms/step': k.msPerStep.toFixed(1), 'calls/step': k.callsPerStep, '% of step': (100 * k.shareOfStep).toFixed(1) })));
  }
  if (missing) console.warn(`\nPyTorch rows skipped: ${missing}. Install: ${INSTALL_HINT}`);
  writeResult(o.out, {
    backend: backend.detail, cores, peakGflopsPerCore: peakPerCore, trainFlops: '3 x forward', repeats, warmup,
    loadavgStart: loadStart, loadavgEnd: loadavg(), ompWaitPolicy: ompPolicy, settleMs: o.settleMs, pytorch: missing ? { available: false, reason: missing, install: INSTALL_HINT } : { available: true },
    models, rows, profiles,
  });
  det?.dispose();
  nasnet?.dispose();
  cnn.dispose();
}

main().catch((e: unknown) => {
  console.error(`throughput-vs-pytorch: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
