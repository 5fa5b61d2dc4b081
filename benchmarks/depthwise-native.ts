/**
 * The native depthwise kernels (native/src/depthwise.cc) against the wasm ones they replace: the
 * composite gradients of src/tensor/kernels/depthwise-backprop-*.ts and XNNPACK's forward conv.
 * CPU-ms (process.cpuUsage, all threads), not wall time, so a loaded machine does not skew it; every
 * figure is a median over repeats, the variants interleaved within each repeat.
 *
 * 1. Per kernel, on NASNet's separable-conv shapes (28x28x8, 14x14x16, 7x7x32; kernels 3, 5, 7; the
 *    stride-2 convs of a reduction cell), batch --batch.
 * 2. A training step of the classification-proxy's default child (NASNet-A, 28x28x1, N=1, F=8, two
 *    reductions) with the depthwise kernels swapped between native and wasm before each block.
 *
 *   node dist/benchmarks/depthwise-native.js [--repeats 7] [--calls 5] [--steps 4] [--warmup 10] [--batch 32]
 *     [--skip-kernels] [--skip-step] [--out FILE.json]
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadavg } from 'node:os';
import { median } from '../src/stats/summary.js';
import { initBackend, nativeKernels } from '../src/tensor/index.js';
import { displacedByNative } from '../src/tensor/native/index.js';
import { nativeDepthwiseConfigs } from '../src/tensor/native/conv.js';
import { benchmarkCommand, parseBenchmark, writeResult } from './lib/command.js';
import { cpuMs, install, timeNasNetSteps, withAbOptions, type AbOptions, type Kernels, type Variant } from './lib/native-ab.js';

const o = parseBenchmark<AbOptions>(withAbOptions(
  benchmarkCommand('depthwise-native', 'CPU-ms of the native depthwise kernels against the wasm ones, per kernel on NASNet shapes and per NASNet-A training step'), 5));

const NAMES = [tf.DepthwiseConv2dNative, tf.DepthwiseConv2dNativeBackpropFilter, tf.DepthwiseConv2dNativeBackpropInput] as const;

/** Both variants' kernel configs, by kernel name: native, and the wasm ones registerNativeKernels displaced. */
function variants(): Record<Variant, Kernels> {
  const native = nativeKernels().kernels;
  if (native === undefined) throw new Error(`the native kernels are not available: ${nativeKernels().reason}`);
  const wasm = (name: string) => {
    const k = displacedByNative(name) ?? tf.getKernel(name, 'wasm');
    if (k === undefined) throw new Error(`the wasm backend has no ${name}`);
    return k;
  };
  const byName = (configs: tf.KernelConfig[]) => Object.fromEntries(configs.map((c) => [c.kernelName, c]));
  return {
    native: byName(nativeDepthwiseConfigs(native, 'wasm', () => undefined, true)),
    wasm: byName(NAMES.map(wasm)),
  };
}

interface Shape { h: number; c: number; k: number; stride: number }

/** NASNet-A's depthwise convs on the default child: each stage's resolution and width, and the reductions' stride-2 convs. */
const SHAPES: Shape[] = [
  ...[3, 5, 7].flatMap((k) => [{ h: 28, c: 8, k, stride: 1 }, { h: 14, c: 16, k, stride: 1 }, { h: 7, c: 32, k, stride: 1 }]),
  ...[5, 7].flatMap((k) => [{ h: 28, c: 16, k, stride: 2 }, { h: 14, c: 32, k, stride: 2 }]),
];

/** Median CPU-ms per call of each kernel in each variant, on one shape. */
function timeKernels(all: Record<Variant, Kernels>, s: Shape): Record<string, Record<Variant, number>> {
  const backend = tf.backend();
  const x = tf.randomNormal([o.batch, s.h, s.h, s.c]);
  const filter = tf.randomNormal([s.k, s.k, s.c, 1]);
  const conv = { strides: s.stride, pad: 'same', dilations: 1, dataFormat: 'NHWC' } as const;
  const dy = tf.depthwiseConv2d(x as tf.Tensor4D, filter as tf.Tensor4D, s.stride, 'same');
  const calls: Record<string, { inputs: tf.NamedTensorInfoMap; attrs: tf.NamedAttrMap }> = {
    [tf.DepthwiseConv2dNative]: { inputs: { x, filter }, attrs: conv },
    [tf.DepthwiseConv2dNativeBackpropFilter]: { inputs: { x, dy }, attrs: { ...conv, filterShape: filter.shape } },
    [tf.DepthwiseConv2dNativeBackpropInput]: { inputs: { dy, filter }, attrs: { ...conv, inputShape: x.shape } },
  };
  const times: Record<string, Record<Variant, number[]>> = {};
  for (let r = 0; r <= o.repeats; r++) {
    for (const name of NAMES) {
      for (const v of ['native', 'wasm'] as const) {
        const { inputs, attrs } = calls[name]!;
        // The wasm composites run the registered forward conv inside: XNNPACK's, for the wasm variant.
        install(all[v], [tf.DepthwiseConv2dNative]);
        const ms = cpuMs(() => {
          for (let i = 0; i < o.calls; i++) {
            const out = all[v][name]!.kernelFunc({ inputs, attrs, backend }) as tf.TensorInfo;
            backend.disposeData(out.dataId);
          }
        });
        // Repeat 0 warms both up.
        if (r > 0) ((times[name] ??= { native: [], wasm: [] })[v]).push(ms / o.calls);
      }
    }
  }
  install(all.native, [tf.DepthwiseConv2dNative]);
  tf.dispose([x, filter, dy]);
  return Object.fromEntries(Object.entries(times).map(([name, t]) => [name, { native: median(t.native), wasm: median(t.wasm) }]));
}

async function main(): Promise<void> {
  const backend = await initBackend('wasm');
  const all = variants();
  // The step swaps the kernels registerNativeKernels installed natively, and only those.
  const swapped = NAMES.filter((n) => displacedByNative(n) !== undefined);
  const loadStart = loadavg();
  console.log(`depthwise-native: ${backend.detail}; batch ${o.batch}, ${o.repeats} repeats; load ${loadStart.map((l) => l.toFixed(2)).join(' ')}`);
  const result: Record<string, unknown> = { backend: backend.detail, batch: o.batch, repeats: o.repeats, loadavgStart: loadStart };
  if (!o.skipKernels) {
    const rows = SHAPES.map((s) => ({ shape: s, kernels: timeKernels(all, s) }));
    console.table(rows.flatMap(({ shape: s, kernels }) => Object.entries(kernels).map(([name, t]) => ({
      shape: `${s.h}x${s.h}x${s.c} k${s.k} s${s.stride}`, kernel: name.replace('DepthwiseConv2dNative', 'dw'),
      'native CPU-ms': t.native.toFixed(2), 'wasm CPU-ms': t.wasm.toFixed(2), 'wasm / native': (t.wasm / t.native).toFixed(1),
    }))));
    result.kernels = rows;
  }
  if (!o.skipStep) {
    const steps = timeNasNetSteps(all, swapped, o);
    console.log(`NASNet-A training step (28x28x1, N=1, F=8, batch ${o.batch}; swapping ${swapped.join(', ')}): ` +
      `native ${steps.native.msPerStep.toFixed(0)} CPU-ms, wasm ${steps.wasm.msPerStep.toFixed(0)} CPU-ms ` +
      `(x${(steps.wasm.msPerStep / steps.native.msPerStep).toFixed(2)}); load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    result.step = { swapped, ...steps };
  }
  result.loadavgEnd = loadavg();
  writeResult(o.out, result);
}

main().catch((e: unknown) => {
  console.error(`depthwise-native: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
