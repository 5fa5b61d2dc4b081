import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParamStore } from '../nn/params.js';
import type { FusedAdamOptimizer } from '../tensor/adam.js';

/** The file a trial's training state lives in, inside the folder the engine gives the trial. */
export const STATE_FILE = 'detector-state.bin';

/** What a saved state says about itself; checked on load so a state never continues another run. */
interface StateHeader {
  readonly version: 1;
  /** Identifies the run: genotype, model and training config, seed. */
  readonly run: string;
  readonly step: number;
  /** The last steps' losses, so a continued run reports the same running loss as a straight one. */
  readonly recentLosses: number[];
  readonly optimizerIterations: number;
  readonly biasCorrections: [number, number];
  /** Model variables (weights and BatchNorm statistics) by name, then the optimizer's moments in order. */
  readonly tensors: { readonly name: string; readonly shape: number[] }[];
}

export interface TrainState {
  readonly step: number;
  readonly recentLosses: number[];
}

/**
 * Writes the model's variables, the optimizer's state and the step to `dir`, atomically (a rename):
 * a worker killed mid-write leaves the previous rung's state, never a torn one.
 */
export async function saveTrainState(dir: string, run: string, state: TrainState, params: ParamStore, optimizer: FusedAdamOptimizer): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const weights = await optimizer.getWeights();
  const [iterations, ...moments] = weights;
  const named = [...params.all()].map(([name, v]) => ({ name, tensor: v as tf.Tensor }));
  const all = [...named, ...moments.map((m, k) => ({ name: `optimizer/${k}`, tensor: m.tensor }))];
  const header: StateHeader = {
    version: 1,
    run,
    step: state.step,
    recentLosses: state.recentLosses,
    optimizerIterations: iterations ? ((await iterations.tensor.data())[0] as number) : 0,
    biasCorrections: await optimizer.biasCorrections(),
    tensors: all.map((t) => ({ name: t.name, shape: t.tensor.shape.slice() })),
  };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const total = all.reduce((n, t) => n + t.tensor.size, 0);
  const body = new Float32Array(total);
  let at = 0;
  for (const t of all) {
    body.set((await t.tensor.data()) as Float32Array, at); // asynchronous reads: webgpu has no other
    at += t.tensor.size;
  }
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length);
  const path = join(dir, STATE_FILE);
  writeFileSync(`${path}.tmp`, Buffer.concat([len, head, Buffer.from(body.buffer, body.byteOffset, body.byteLength)]));
  renameSync(`${path}.tmp`, path);
}

/**
 * Restores a state saved by `saveTrainState` for the same run into freshly built params and
 * optimizer; returns null when `dir` holds none. A state of another run, or a damaged file, is an
 * error: continuing from it would give a result that belongs to no architecture.
 */
export async function loadTrainState(dir: string, run: string, params: ParamStore, optimizer: FusedAdamOptimizer): Promise<TrainState | null> {
  const path = join(dir, STATE_FILE);
  if (!existsSync(path)) return null;
  const buf = readFileSync(path);
  const fail = (why: string): never => {
    throw new Error(`training state ${path} cannot be continued: ${why}`);
  };
  if (buf.length < 4) fail('truncated');
  const headLen = buf.readUInt32LE(0);
  if (buf.length < 4 + headLen) fail('truncated header');
  let header: StateHeader;
  try {
    header = JSON.parse(buf.subarray(4, 4 + headLen).toString('utf8')) as StateHeader;
  } catch {
    return fail('unreadable header');
  }
  if (header.version !== 1) fail(`version ${String(header.version)}`);
  if (header.run !== run) fail('it was saved by another run (genotype, config or seed differ)');
  const bodyBytes = buf.length - 4 - headLen;
  const total = header.tensors.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
  if (bodyBytes !== total * 4) fail(`expected ${total * 4} bytes of tensors, found ${bodyBytes}`);
  const copy = new Uint8Array(bodyBytes);
  copy.set(buf.subarray(4 + headLen));
  const body = new Float32Array(copy.buffer);
  const vars = params.all();
  const moments: { name: string; tensor: tf.Tensor }[] = [];
  let at = 0;
  for (const t of header.tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    const values = body.subarray(at, at + size);
    at += size;
    if (t.name.startsWith('optimizer/')) {
      moments.push({ name: t.name, tensor: tf.tensor(values, t.shape) });
      continue;
    }
    const v = vars.get(t.name);
    if (!v || v.size !== size) fail(`variable ${t.name} does not match the model`);
    tf.tidy(() => (v as tf.Variable).assign(tf.tensor(values, t.shape)));
  }
  if (moments.length > 0) {
    const iterations = tf.scalar(header.optimizerIterations, 'int32');
    // setWeights copies every tensor it is given into the optimizer's own variables.
    await optimizer.setWeights([{ name: 'iter', tensor: iterations }, ...moments]);
    iterations.dispose();
    for (const m of moments) m.tensor.dispose();
    optimizer.setBiasCorrections(header.biasCorrections);
  }
  return { step: header.step, recentLosses: header.recentLosses };
}

/** Drops a run's saved state (the run reached its end). */
export function removeTrainState(dir: string): void {
  rmSync(join(dir, STATE_FILE), { force: true });
}
