/**
 * The native pooling gradients (native/src/pool.cc) against the kernels they displace: wasm's stock
 * AvgPoolGrad, and for MaxPoolGrad tsnas's JavaScript loop (src/tensor/kernels/max-pool-grad.ts).
 * CPU-ms medians over interleaved repeats (benchmarks/lib/native-ab.ts).
 *
 * 1. Per kernel, on the pools of the classification-proxy's default NASNet-A child (3x3 'same', stride
 *    1 on each stage's maps, stride 2 in the reductions), batch --batch.
 * 2. That child's training step with the --step-kernels swapped between native and displaced before each block.
 *
 *   node dist/benchmarks/pool-native.js [--repeats 7] [--calls 10] [--steps 4] [--warmup 10] [--batch 32]
 *     [--step-kernels AvgPoolGrad] [--skip-kernels] [--skip-step] [--out FILE.json]
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from 'commander';
import { loadavg } from 'node:os';
import { median } from '../src/stats/summary.js';
import { initBackend } from '../src/tensor/index.js';
import { displacedByNative } from '../src/tensor/native/index.js';
import { benchmarkCommand, parseBenchmark, writeResult } from './lib/command.js';
import { cpuMs, loadText, timeNasNetSteps, VARIANTS, withAbOptions, type AbOptions, type Kernels, type Variant } from './lib/native-ab.js';

const NAMES = [tf.AvgPoolGrad, tf.MaxPoolGrad] as const;

const o = parseBenchmark<AbOptions & { stepKernels: string[] }>(withAbOptions(
  benchmarkCommand('pool-native', 'CPU-ms of the native pooling gradients against the kernels they displace, per kernel on NASNet shapes and per NASNet-A training step'), 10)
  .option('--step-kernels <names>', `kernels swapped in the training step, comma-separated (${NAMES.join(', ')})`, (raw: string) => {
    const names = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (names.length === 0 || names.some((n) => !(NAMES as readonly string[]).includes(n))) throw new InvalidArgumentError(`expected some of ${NAMES.join(', ')}`);
    return names;
  }, [tf.AvgPoolGrad]));

/** The registered (native) kernels and the ones registerNativeKernels displaced, by name. */
function variants(): Record<Variant, Kernels> {
  const pick = (get: (name: string) => tf.KernelConfig | undefined, what: string) => Object.fromEntries(NAMES.map((name) => {
    const k = get(name);
    if (k === undefined) throw new Error(`no ${what} ${name} (is the addon built with the pool kernels? npm run build:native)`);
    return [name, k];
  }));
  return { native: pick((n) => displacedByNative(n) && tf.getKernel(n, 'wasm'), 'native'), wasm: pick((n) => displacedByNative(n), 'displaced') };
}

interface Shape { kernel: string; h: number; c: number; stride: number }

/** The child's pools: 3x3 'same'; average pools at stride 1 on every stage and both at stride 2 in the reductions. */
const SHAPES: Shape[] = [
  ...[[28, 8], [14, 16], [7, 32]].map(([h, c]) => ({ kernel: tf.AvgPoolGrad, h: h!, c: c!, stride: 1 })),
  ...NAMES.flatMap((kernel) => [[28, 16], [14, 32]].map(([h, c]) => ({ kernel, h: h!, c: c!, stride: 2 }))),
];

/** Median CPU-ms per call of one kernel in each variant. */
function timeKernel(all: Record<Variant, Kernels>, s: Shape): Record<Variant, number> {
  const backend = tf.backend();
  const x = tf.randomNormal([o.batch, s.h, s.h, s.c]) as tf.Tensor4D;
  const attrs = { filterSize: 3, strides: s.stride, pad: 'same' } as const;
  const y = s.kernel === tf.MaxPoolGrad ? tf.maxPool(x, 3, s.stride, 'same') : tf.avgPool(x, 3, s.stride, 'same');
  const dy = tf.randomNormal(y.shape);
  const inputs = s.kernel === tf.MaxPoolGrad ? { dy, input: x, output: y } : { dy, input: x };
  const times: Record<Variant, number[]> = { native: [], wasm: [] };
  for (let r = 0; r <= o.repeats; r++) {
    for (const v of VARIANTS) {
      const ms = cpuMs(() => {
        for (let i = 0; i < o.calls; i++) {
          const out = all[v][s.kernel]!.kernelFunc({ inputs, attrs, backend }) as tf.TensorInfo;
          backend.disposeData(out.dataId);
        }
      });
      // Repeat 0 warms both up.
      if (r > 0) times[v].push(ms / o.calls);
    }
  }
  tf.dispose([x, y, dy]);
  return { native: median(times.native), wasm: median(times.wasm) };
}

async function main(): Promise<void> {
  const backend = await initBackend('wasm');
  const all = variants();
  const loadStart = loadavg();
  console.log(`pool-native: ${backend.detail}; batch ${o.batch}, ${o.repeats} repeats; load ${loadText()}`);
  const result: Record<string, unknown> = { backend: backend.detail, batch: o.batch, repeats: o.repeats, loadavgStart: loadStart };
  if (!o.skipKernels) {
    const rows = SHAPES.map((s) => ({ shape: s, ...timeKernel(all, s) }));
    console.table(rows.map(({ shape: s, native, wasm }) => ({
      kernel: s.kernel, shape: `${s.h}x${s.h}x${s.c} 3x3 s${s.stride}`,
      'native CPU-ms': native.toFixed(3), 'displaced CPU-ms': wasm.toFixed(3), 'displaced / native': (wasm / native).toFixed(1),
    })));
    result.kernels = rows;
  }
  if (!o.skipStep) {
    const steps = timeNasNetSteps(all, o.stepKernels, o);
    console.log(`NASNet-A training step (28x28x1, N=1, F=8, batch ${o.batch}; swapping ${o.stepKernels.join(', ')}): ` +
      `native ${steps.native.msPerStep.toFixed(0)} CPU-ms, displaced ${steps.wasm.msPerStep.toFixed(0)} CPU-ms ` +
      `(x${(steps.wasm.msPerStep / steps.native.msPerStep).toFixed(2)}); load ${loadText()}`);
    result.step = { swapped: o.stepKernels, ...steps };
  }
  result.loadavgEnd = loadavg();
  writeResult(o.out, result);
}

main().catch((e: unknown) => {
  console.error(`pool-native: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
