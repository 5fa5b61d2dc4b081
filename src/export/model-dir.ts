import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DataError } from '../core/errors.js';
import { readInputFile } from '../core/input-file.js';
import { MODEL_KINDS, type NamedWeight } from '../core/exportable.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelManifest, type WeightsGroup } from './manifest.js';

export const MANIFEST_FILE = 'model.json';
/** TensorFlow.js converter's default shard size. */
const SHARD_BYTES = 4 * 1024 * 1024;
const MB = 1024 * 1024;

/** Encodes the weights as TensorFlow.js does (float32, little-endian, in manifest order) and splits them into shards. */
async function encode(weights: readonly NamedWeight[]): Promise<{ group: WeightsGroup; shards: Uint8Array[] }> {
  const tensors = Object.fromEntries(weights.map((w) => [w.name, tf.tensor(w.values, w.shape.slice(), 'float32')]));
  try {
    const { data, specs } = await tf.io.encodeWeights(tensors);
    const bytes = new Uint8Array(data as ArrayBuffer);
    const count = Math.max(1, Math.ceil(bytes.byteLength / SHARD_BYTES));
    const shards = Array.from({ length: count }, (_, k) => bytes.subarray(k * SHARD_BYTES, (k + 1) * SHARD_BYTES));
    const paths = shards.map((_, k) => `group1-shard${k + 1}of${count}.bin`);
    return { group: { paths, weights: specs.map((s) => ({ name: s.name, shape: s.shape.slice(), dtype: 'float32' })) }, shards };
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}

/** Writes model.json and its shards into `dir` (model.json last, via a rename: a folder with one is complete). */
export async function writeModelDir(dir: string, manifest: Omit<ModelManifest, 'weightsManifest'>, weights: readonly NamedWeight[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const { group, shards } = await encode(weights);
  group.paths.forEach((p, k) => writeFileSync(join(dir, p), shards[k] as Uint8Array));
  const path = join(dir, MANIFEST_FILE);
  writeFileSync(`${path}.tmp`, JSON.stringify({ ...manifest, weightsManifest: [group] }, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
}

/** Removes what an earlier export left that this one would not overwrite (stale shards). */
export function clearModelDir(dir: string): void {
  if (!existsSync(join(dir, MANIFEST_FILE))) return;
  let groups: WeightsGroup[];
  try {
    groups = readManifest(dir).weightsManifest;
  } catch {
    return; // not a manifest this tsnas reads: it is overwritten, its shards are left alone
  }
  for (const g of groups) for (const p of g.paths) if (basename(p) === p) rmSync(join(dir, p), { force: true });
}

/** Reads and checks model.json: a tsnas model of the format version this tsnas reads. */
export function readManifest(dir: string): ModelManifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(dir)) throw new DataError(`model folder '${dir}' does not exist`);
  if (!existsSync(path)) throw new DataError(`model folder '${dir}' has no ${MANIFEST_FILE} (export one with tsnas export)`);
  let m: Partial<ModelManifest>;
  try {
    m = JSON.parse(readInputFile(path, 'model manifest', 16 * MB).toString('utf8')) as Partial<ModelManifest>;
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`model manifest '${path}' is not valid JSON: ${(e as Error).message}`);
  }
  if (m === null || typeof m !== 'object' || m.format !== MODEL_FORMAT) {
    throw new DataError(`'${path}' is not a tsnas model (format ${JSON.stringify((m as { format?: unknown } | null)?.format)}; expected '${MODEL_FORMAT}')`);
  }
  if (m.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new DataError(`'${path}' is a tsnas model of format version ${JSON.stringify(m.formatVersion)} (${m.generatedBy ?? 'unknown tsnas'}); this tsnas reads version ${MODEL_FORMAT_VERSION}: export it again`);
  }
  if (!Array.isArray(m.weightsManifest) || !m.modelTopology || !m.userDefinedMetadata) throw new DataError(`'${path}' lacks modelTopology, weightsManifest or userDefinedMetadata`);
  if (!(MODEL_KINDS as readonly unknown[]).includes(m.modelTopology.kind)) {
    throw new DataError(`'${path}' holds a model of kind ${JSON.stringify(m.modelTopology.kind)}; this tsnas loads ${MODEL_KINDS.join(' and ')} models`);
  }
  return m as ModelManifest;
}

/** The manifest and its weights, every shard present and the byte count matching the specs. */
export function readModelDir(dir: string): { manifest: ModelManifest; weights: Map<string, tf.Tensor> } {
  const manifest = readManifest(dir);
  const buffers: Buffer[] = [];
  const specs = manifest.weightsManifest.flatMap((g) => g.weights);
  for (const g of manifest.weightsManifest) {
    for (const p of g.paths) {
      const file = join(dir, p);
      if (!existsSync(file)) throw new DataError(`model folder '${dir}': weights shard '${p}' is missing`);
      buffers.push(readInputFile(file, 'weights shard', 1024 * MB));
    }
  }
  const bytes = Buffer.concat(buffers);
  const expected = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  if (bytes.byteLength !== expected) throw new DataError(`model folder '${dir}': the weights shards hold ${bytes.byteLength} bytes, the manifest lists ${expected}`);
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return { manifest, weights: new Map(Object.entries(tf.io.decodeWeights(copy, specs))) };
}
