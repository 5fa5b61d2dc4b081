import * as tf from '@tensorflow/tfjs-core';
import type { Command } from 'commander';
import { loadavg } from 'node:os';
import { cpuUsage } from 'node:process';
import type { ClassificationBatch } from '../../src/data/classification-batches.js';
import { NASNET_A } from '../../src/spaces/nasnet/named.js';
import { median } from '../../src/stats/summary.js';
import { adam } from '../../src/tensor/adam.js';
import { NasNetClassifier } from '../../src/tasks/classification/nasnet-classifier.js';
import { int } from './command.js';
import { NASNET_PROXY_NET } from '../workers/proxy-nasnet.js';

/**
 * A/B measurements of native kernels against the wasm ones they displace (benchmarks/*-native.ts):
 * CPU-ms (process.cpuUsage, all threads), not wall time, so a loaded machine does not skew them;
 * medians over repeats, the variants interleaved within each repeat.
 */
export type Variant = 'native' | 'wasm';
export const VARIANTS = ['native', 'wasm'] as const;
/** Kernel configs by kernel name. */
export type Kernels = Record<string, tf.KernelConfig>;

export const cpuMs = (f: () => void): number => {
  const c0 = cpuUsage();
  f();
  const c = cpuUsage(c0);
  return (c.user + c.system) / 1000;
};

export const loadText = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

/** Registers `kernels` for the wasm backend in place of whatever is registered under their names. */
export function install(kernels: Kernels, names: readonly string[]): void {
  for (const name of names) {
    if (tf.getKernel(name, 'wasm') !== undefined) tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(kernels[name]!);
  }
}

/** A fixed random batch of 28x28x1 images with 10 classes (what the proxy trains on, as shapes go). */
function batch(n: number): ClassificationBatch {
  const images = Float32Array.from({ length: n * 28 * 28 }, (_, i) => ((i * 2654435761) % 1000) / 1000);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
  return { images, labels, shape: [n, 28, 28, 1] };
}

export interface StepOptions {
  batch: number;
  /** Untimed steps per variant first. */
  warmup: number;
  repeats: number;
  /** Steps per timed block. */
  steps: number;
}

/** The options of every A/B benchmark. */
export interface AbOptions extends StepOptions {
  /** Kernel calls per timed block. */
  calls: number;
  skipKernels?: boolean;
  skipStep?: boolean;
  out?: string;
}

/** Adds AbOptions' flags to a benchmark's command line; `calls` is its default kernel calls per block. */
export function withAbOptions(cmd: Command, calls: number): Command {
  return cmd
    .option('--repeats <n>', 'interleaved repeats (the median is reported)', int(1), 7)
    .option('--calls <n>', 'kernel calls per timed block', int(1), calls)
    .option('--steps <n>', 'training steps per timed block', int(1), 4)
    .option('--warmup <n>', 'untimed training steps per variant first', int(0), 10)
    .option('--batch <n>', 'images per step / kernel call', int(1), 32)
    .option('--skip-kernels', 'the training step only')
    .option('--skip-step', 'the kernels only')
    .option('--out <file>', 'write the results as JSON here');
}

export type StepTimes = Record<Variant, { msPerStep: number; all: number[] }>;

/**
 * Median CPU-ms per training step of the classification-proxy's default child (NASNet-A, 28x28x1,
 * N=1, F=8, two reductions, Adam) with the kernels `names` of each variant; the native ones are left installed.
 */
export function timeNasNetSteps(all: Record<Variant, Kernels>, names: readonly string[], o: StepOptions): StepTimes {
  const net = new NasNetClassifier(NASNET_A, NASNET_PROXY_NET, 1);
  const optimizer = adam(0.01);
  const b = batch(o.batch);
  const step = (v: Variant, steps: number) => {
    install(all[v], names);
    return cpuMs(() => {
      for (let i = 0; i < steps; i++) net.trainStep(optimizer, b);
    }) / steps;
  };
  for (const v of VARIANTS) step(v, o.warmup);
  const times: Record<Variant, number[]> = { native: [], wasm: [] };
  for (let r = 0; r < o.repeats; r++) for (const v of VARIANTS) times[v].push(step(v, o.steps));
  install(all.native, names);
  net.dispose();
  optimizer.dispose();
  return { native: { msPerStep: median(times.native), all: times.native }, wasm: { msPerStep: median(times.wasm), all: times.wasm } };
}
