/**
 * GFLOP/s of the native convolutions (native/src/conv.cc) on the NAS-FPN detector's shapes (batch
 * 16, 128x128 inputs): the forward conv, the filter gradient and the input gradient of each, called
 * on the addon directly (no tfjs), the median of --repeats calls after one untimed call. One thread.
 * Each is timed with the direct tiles (conv-direct.h) and without (im2col + sgemm), calls alternating.
 *
 *   node dist/benchmarks/conv-native.js [--repeats 15] [--out FILE.json]
 */
import { loadavg } from 'node:os';
import { median } from '../src/stats/summary.js';
import { nativeKernels } from '../src/tensor/native/index.js';
import { benchmarkCommand, int, parseBenchmark, writeResult } from './lib/command.js';

const o = parseBenchmark<{ repeats: number; out?: string }>(
  benchmarkCommand('conv-native', "GFLOP/s of the native convolutions and their gradients on the detector's shapes")
    .option('--repeats <n>', 'timed calls per kernel and shape', int(1), 15)
    .option('--out <file>', 'write the results as JSON here'));

interface Case { name: string; n: number; h: number; ci: number; k: number; co: number; stride: number }

/** The detector's convolutions that take most of its step ('same' padding). */
const CASES: Case[] = [
  { name: 'stem, 1 channel', n: 16, h: 128, ci: 1, k: 3, co: 16, stride: 2 },
  { name: 'C2 first conv', n: 16, h: 64, ci: 16, k: 3, co: 16, stride: 2 },
  { name: 'C2 second conv', n: 16, h: 32, ci: 16, k: 3, co: 16, stride: 1 },
  { name: 'C2 projection', n: 16, h: 64, ci: 16, k: 1, co: 16, stride: 2 },
  { name: 'C3 first conv', n: 16, h: 32, ci: 16, k: 3, co: 24, stride: 2 },
  { name: 'neck / head P3', n: 16, h: 16, ci: 32, k: 3, co: 32, stride: 1 },
  { name: 'neck / head P4', n: 16, h: 8, ci: 32, k: 3, co: 32, stride: 1 },
  { name: 'head P6', n: 16, h: 2, ci: 32, k: 3, co: 32, stride: 1 },
];

/** The addon's geometry of a 'same' convolution: [n, h, w, ci, kh, kw, co, oh, ow, sh, sw, dh, dw, top, left]. */
function geometry(c: Case): Int32Array {
  const oh = Math.ceil(c.h / c.stride);
  const pad = Math.max((oh - 1) * c.stride + c.k - c.h, 0);
  return Int32Array.of(c.n, c.h, c.h, c.ci, c.k, c.k, c.co, oh, oh, c.stride, c.stride, 1, 1, Math.floor(pad / 2), Math.floor(pad / 2));
}

function main(): void {
  const { kernels: native, reason } = nativeKernels();
  if (native === undefined) throw new Error(`the native kernels are not available: ${reason}`);
  const load0 = loadavg()[0]!;
  const rows = CASES.map((c) => {
    const g = geometry(c);
    const oh = g[7]!;
    const random = (size: number) => Float32Array.from({ length: size }, () => Math.random() * 2 - 1);
    const x = random(c.n * c.h * c.h * c.ci);
    const filter = random(c.k * c.k * c.ci * c.co);
    const dy = random(c.n * oh * oh * c.co);
    const y = new Float32Array(dy.length);
    const dFilter = new Float32Array(filter.length);
    const dx = new Float32Array(x.length);
    const flops = 2 * c.n * oh * oh * c.co * c.k * c.k * c.ci;
    // [without the direct tiles, with them]: GFLOP/s, the two alternating call by call.
    const rates = (call: () => void): [number, number] => {
      const ms: [number[], number[]] = [[], []];
      for (const on of [false, true]) {
        native.directConv(on);
        call();
      }
      for (let r = 0; r < o.repeats; r++) {
        for (const [i, on] of [false, true].entries()) {
          native.directConv(on);
          const t0 = performance.now();
          call();
          ms[i]!.push(performance.now() - t0);
        }
      }
      return [flops / (median(ms[0]) / 1000) / 1e9, flops / (median(ms[1]) / 1000) / 1e9];
    };
    return {
      shape: `${c.name}: ${c.n}x${c.h}x${c.h}x${c.ci}, ${c.k}x${c.k} -> ${c.co}, stride ${c.stride}`,
      forward: rates(() => native.convForward(g, x, filter, y)),
      filterGradient: rates(() => native.convBackpropFilter(g, x, dy, dFilter)),
      inputGradient: rates(() => native.convBackpropInput(g, dy, filter, dx)),
    };
  });
  const direct = native.directConv(true);
  console.log(`${native.blasInfo()}; direct tiles ${direct ? 'built' : 'not built (neither AVX-512 nor AVX2 + FMA): both columns are im2col'}; ` +
    `load ${load0.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)}; GFLOP/s, median of ${o.repeats} calls, im2col + sgemm -> direct`);
  const pair = ([a, b]: [number, number]) => `${a.toFixed(1)} -> ${b.toFixed(1)}`;
  console.table(rows.map((r) => ({ shape: r.shape, forward: pair(r.forward), 'filter gradient': pair(r.filterGradient), 'input gradient': pair(r.inputGradient) })));
  writeResult(o.out, { load: load0, repeats: o.repeats, direct, rows });
}

try {
  main();
} catch (e) {
  console.error(`conv-native: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
