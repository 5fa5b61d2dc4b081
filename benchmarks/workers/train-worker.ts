/**
 * The Piscina task of worker-scaling.ts: trains one of the fixed proxy networks (proxy-cnn.ts,
 * proxy-detector.ts, proxy-nasnet.ts) for a number of steps, timed together with the round's other workers.
 */
import { readFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { initBackend } from '../../src/tensor/index.js';
import { ProxyCnn } from './proxy-cnn.js';
import { ProxyDetector } from './proxy-detector.js';
import { ProxyNasNet } from './proxy-nasnet.js';

export const PROXY_MODELS = ['cnn', 'detector', 'nasnet'] as const;
export type ProxyModel = (typeof PROXY_MODELS)[number];

const TRAINERS: Record<ProxyModel, (batchSize: number) => Trainer> = {
  cnn: (n) => new ProxyCnn(n),
  detector: (n) => new ProxyDetector(n),
  nasnet: (n) => new ProxyNasNet(n),
};

export interface WorkerTask {
  model: ProxyModel;
  steps: number;
  warmup: number;
  batchSize: number;
  /** Int32Array(1) on a SharedArrayBuffer: workers of one round count in here after warm-up... */
  barrier: SharedArrayBuffer;
  /** ...and start timing together once this many have. */
  parties: number;
}

export interface WorkerResult {
  /** The worker's tensor backend, as initBackend describes it. */
  backend: string;
  seconds: number;
  /** This thread's time on a CPU, and runnable but waiting for one (Linux schedstat; NaN elsewhere). */
  cpuSeconds: number;
  waitSeconds: number;
  images: number;
  loss: number;
  threadId: number;
}

interface Trainer {
  readonly batchSize: number;
  step(i: number): number;
}

/** This worker's model, built once (a worker serves one model and batch size). */
let model: Promise<{ kind: ProxyModel; trainer: Trainer; backend: string }> | undefined;

/** [on-CPU, waiting-for-CPU] seconds of the calling thread: on a shared machine they tell load from slowness. */
function threadTimes(): [number, number] {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return [run! / 1e9, wait! / 1e9];
  } catch {
    return [NaN, NaN];
  }
}

/** Piscina task: warm up, wait for the round's other workers, then time `steps` training steps. */
export default async function trainCnn(task: WorkerTask): Promise<WorkerResult> {
  model ??= initBackend('wasm').then((info) => ({
    kind: task.model,
    trainer: TRAINERS[task.model](task.batchSize),
    backend: info.detail,
  }));
  const { kind, trainer, backend } = await model;
  if (kind !== task.model || trainer.batchSize !== task.batchSize) throw new Error('one worker serves one model and batch size');
  for (let i = 0; i < task.warmup; i++) trainer.step(i);
  // The barrier makes the timed windows overlap: a worker that finishes warm-up early would
  // otherwise run part of its steps alone and look faster than contended throughput really is.
  const count = new Int32Array(task.barrier);
  Atomics.add(count, 0, 1);
  Atomics.notify(count, 0);
  const deadline = performance.now() + 120_000; // a round whose other worker died must not hang
  for (let seen = Atomics.load(count, 0); seen < task.parties; seen = Atomics.load(count, 0)) {
    if (performance.now() > deadline) throw new Error(`barrier: ${seen} of ${task.parties} workers arrived`);
    Atomics.wait(count, 0, seen, 1000);
  }
  const t0 = performance.now();
  const [cpu0, wait0] = threadTimes();
  let loss = 0;
  for (let i = 0; i < task.steps; i++) loss = trainer.step(i);
  const [cpu1, wait1] = threadTimes();
  return { backend, seconds: (performance.now() - t0) / 1000, cpuSeconds: cpu1 - cpu0, waitSeconds: wait1 - wait0, images: task.steps * task.batchSize, loss, threadId };
}
