/**
 * A/B of fused kernels in the detector's training step, in one process: blocks of steps alternate
 * between the kernels installed (A) and B: the kernels they displaced (stock Add for the native
 * one, say), or none, where callers check for them and compose tf ops (nn/resample.ts's
 * upsampling), so drifting machine load hits both alike.
 * Reports medians over blocks of CPU-ms per step (process.cpuUsage: all the process's threads),
 * img/s and kernel calls per step.
 *
 *   node dist/benchmarks/detector-kernel-ab.js [--kernels TsnasUpsampleNearest,TsnasUpsampleNearestGrad]
 *     [--repeats 7] [--steps 8] [--warmup 30] [--batch 16]
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadavg } from 'node:os';
import { cpuUsage } from 'node:process';
import { median } from '../src/stats/summary.js';
import { displacedByNative } from '../src/tensor/native/index.js';
import { initBackend } from '../src/tensor/index.js';
import { useDirectSaves } from '../src/tensor/saved-tensors.js';
import { UPSAMPLE_NEAREST, UPSAMPLE_NEAREST_GRAD } from '../src/tensor/upsample.js';
import { benchmarkCommand, int, parseBenchmark } from './lib/command.js';
import { ProxyDetector } from './workers/proxy-detector.js';

const o = parseBenchmark<{ kernels: string; directSaves: boolean; repeats: number; steps: number; warmup: number; batch: number }>(
  benchmarkCommand('detector-kernel-ab', "the detector's training step with and without fused kernels, interleaved")
    .option('--kernels <names>', 'kernels B runs without (the ones they displaced, if any), comma-separated', `${UPSAMPLE_NEAREST},${UPSAMPLE_NEAREST_GRAD}`)
    .option('--direct-saves', 'B also saves tensors for the backward pass through tfjs\'s Identity clones (src/tensor/saved-tensors.ts)', false)
    .option('--repeats <n>', 'blocks per case', int(1), 7)
    .option('--steps <n>', 'steps per block', int(1), 8)
    .option('--warmup <n>', 'untimed steps per case first (V8 settles over the first ~40)', int(0), 30)
    .option('--batch <n>', 'images per step', int(1), 16),
);

async function main(): Promise<void> {
  const backend = await initBackend('wasm');
  const names = o.kernels.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const configs = names.map((name) => {
    const k = tf.getKernel(name, 'wasm');
    if (k === undefined) throw new Error(`kernel ${name} is not registered on wasm (native kernels built?)`);
    return k;
  });
  // B runs the kernel each native one displaced (stock Add, say) or none (a fused kernel whose callers then compose ops).
  const displaced = configs.map((k) => displacedByNative(k.kernelName, 'wasm'));
  const use = (on: boolean) => {
    if (o.directSaves) useDirectSaves(on);
    configs.forEach((k, i) => {
      const want = on ? k : displaced[i];
      const current = tf.getKernel(k.kernelName, 'wasm');
      if (current?.kernelFunc === want?.kernelFunc) return;
      if (current !== undefined) tf.unregisterKernel(k.kernelName, 'wasm');
      if (want !== undefined) tf.registerKernel(want);
    });
  };
  const proxy = new ProxyDetector(o.batch);
  const cases = [{ name: `A: with ${[...names, ...(o.directSaves ? ['direct saves'] : [])].join(', ')}`, on: true }, { name: 'B: without', on: false }];
  const results = cases.map(() => ({ cpuMs: [] as number[], rates: [] as number[], calls: 0 }));
  const load0 = loadavg();
  for (const c of cases) {
    use(c.on);
    for (let i = 0; i < o.warmup; i++) proxy.step();
  }
  for (let r = 0; r < o.repeats; r++) {
    cases.forEach((c, i) => {
      use(c.on);
      const c0 = cpuUsage();
      const t0 = performance.now();
      for (let s = 0; s < o.steps; s++) proxy.step();
      const wall = (performance.now() - t0) / 1000;
      const u = cpuUsage(c0);
      results[i]!.cpuMs.push((u.user + u.system) / 1000 / o.steps);
      results[i]!.rates.push(o.steps * o.batch / wall);
    });
  }
  for (const [i, c] of cases.entries()) {
    use(c.on);
    const p = await tf.profile(() => { proxy.step(); });
    results[i]!.calls = p.kernels.length;
  }
  use(true);
  console.log(`${backend.detail}\nload before ${load0.map((l) => l.toFixed(2)).join(' ')}, after ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ` +
    `${o.warmup} warm-up steps per case, ${o.repeats} interleaved blocks of ${o.steps} steps, batch ${o.batch}`);
  console.table(cases.map((c, i) => {
    const r = results[i]!;
    return { case: c.name, 'CPU-ms/step': median(r.cpuMs).toFixed(1), 'img/s': median(r.rates).toFixed(1),
      'img/s min..max': `${Math.min(...r.rates).toFixed(0)}..${Math.max(...r.rates).toFixed(0)}`, 'kernels/step': r.calls };
  }));
  proxy.dispose();
}

main().catch((e: unknown) => {
  console.error(`detector-kernel-ab: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
