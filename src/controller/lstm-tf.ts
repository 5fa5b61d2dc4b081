import * as tf from '@tensorflow/tfjs-core';
import { assertGradientsRegistered, matMul } from './gradients.js';
import type { LogitTransform } from './lstm-js.js';
import type { ControllerShape, Layout } from './params.js';

/** A batch of B sequences, teacher-forced through the controller for the loss. */
export interface TfBatch {
  /**
   * `next`: step t reads the choice of decision t-1 (the start token at t = 0), as when sampling.
   * `self`: step t reads decision t's own choice (a policy that reads a whole parent, see hybrid.ts).
   */
  readonly mode: 'next' | 'self';
  /** B x L choices fed as inputs. */
  readonly inputs: readonly (readonly number[])[];
  /** [B, L*K] additive mask: 0 for a valid action, MASKED for a forbidden one. */
  readonly mask: Float32Array;
  /** [B, L*K] one-hot of the action(s) taken: one per decision, or one in all when `joint`. */
  readonly target: Float32Array;
  /** One softmax over all L*K (decision, candidate) pairs, instead of one per decision. */
  readonly joint: boolean;
}

/** Per-sample log-probability of the taken actions and entropy of the policy along the sequence. */
export interface PolicyTerms {
  readonly logp: tf.Tensor1D;
  readonly entropy: tf.Tensor1D;
}

/** Large enough that exp underflows to exactly 0, small enough that masked*0 stays finite. */
export const MASKED = -1e9;

type ParamName = 'wx' | 'wh' | 'bias' | 'embed' | 'outKernel' | 'outBias' | 'start';

interface Slice {
  readonly name: ParamName;
  readonly at: number;
  readonly size: number;
  readonly tensor: tf.Tensor;
}

/** The parameters as the tensors that tf.valueAndGrads differentiates: only those the batch reaches. */
function slices(shape: ControllerShape, layout: Layout, p: Float32Array, mode: TfBatch['mode']): Slice[] {
  const { decisions: L, candidates: K, units: H } = shape;
  const out: Slice[] = [];
  const add = (name: ParamName, at: number, size: number, dims: number[]): void => {
    out.push({ name, at, size, tensor: tf.tensor(p.slice(at, at + size), dims) });
  };
  const [k0] = layout.kernel;
  add('wx', k0, H * 4 * H, [H, 4 * H]);
  add('wh', k0 + H * 4 * H, H * 4 * H, [H, 4 * H]);
  add('bias', layout.bias[0], 4 * H, [4 * H]);
  if (mode === 'self' || L > 1) add('embed', layout.embed[0], L * K * H, [L, K, H]);
  add('outKernel', layout.outKernel[0], L * H * K, [L, H, K]);
  add('outBias', layout.outBias[0], L * K, [L, 1, K]);
  if (mode === 'next') add('start', layout.start[0], H, [1, H]);
  return out;
}

/** One-hot of each decision's choice, decision-major: [L, B, K] (batched against the [L, K, H] embeddings). */
function embeddingSelector(batch: TfBatch, L: number, K: number): tf.Tensor3D {
  const B = batch.inputs.length;
  const a = new Float32Array(L * B * K);
  for (let t = 0; t < L; t++) {
    for (let b = 0; b < B; b++) a[(t * B + b) * K + ((batch.inputs[b] as readonly number[])[t] as number)] = 1;
  }
  return tf.tensor3d(a, [L, B, K]);
}

/**
 * The same function as JsLstm, batched: B rows through L steps, then the (masked) log-softmax. Built
 * to keep the number of tf ops small, since per-op overhead dominates at this size: the input
 * projections of all steps are one matMul, the output layers of all steps one batched matMul.
 */
function terms(shape: ControllerShape, t: LogitTransform, batch: TfBatch, x: ReadonlyMap<ParamName, tf.Tensor>): PolicyTerms {
  const { decisions: L, candidates: K, units: H } = shape;
  const B = batch.inputs.length;
  const get = <T extends tf.Tensor>(name: ParamName): T => x.get(name) as T;
  const [wx, wh, bias, outKernel, outBias] = [get<tf.Tensor2D>('wx'), get<tf.Tensor2D>('wh'), get<tf.Tensor1D>('bias'), get<tf.Tensor3D>('outKernel'), get<tf.Tensor3D>('outBias')];
  const parts: tf.Tensor2D[] = [];
  if (batch.mode === 'next') parts.push(matMul(tf.ones([B, 1]), get<tf.Tensor2D>('start')));
  if (batch.mode === 'self' || L > 1) {
    // Step t reads decision t's embedding ('self') or decision t-1's ('next': the last one is unused).
    const embedded = matMul(embeddingSelector(batch, L, K), get<tf.Tensor3D>('embed'));
    const used = batch.mode === 'self' ? embedded : (tf.split(embedded, [L - 1, 1], 0)[0] as tf.Tensor3D);
    parts.push(tf.reshape(used, [used.shape[0] * B, H]));
  }
  const inputs = parts.length === 1 ? (parts[0] as tf.Tensor2D) : tf.concat(parts, 0);
  const projected = tf.add(matMul(inputs, wx), bias); // [L*B, 4H], step-major
  const perStep = L === 1 ? [projected] : tf.split(projected, L, 0);
  const hs: tf.Tensor[] = [];
  let h: tf.Tensor | null = null;
  let c: tf.Tensor | null = null;
  for (let step = 0; step < L; step++) {
    // At step 0 the state is zero: the recurrent terms are skipped (except in a one-decision space,
    // where wh would otherwise be unreachable and tf refuses to differentiate).
    const recurrent = h ?? (L === 1 ? tf.zeros([B, H]) : null);
    const gates: tf.Tensor2D = recurrent ? tf.add(perStep[step] as tf.Tensor2D, matMul(recurrent as tf.Tensor2D, wh)) : (perStep[step] as tf.Tensor2D);
    const [i, f, g, o] = tf.split(gates, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const fresh = tf.mul(tf.sigmoid(i), tf.tanh(g));
    c = c ? tf.add(tf.mul(tf.sigmoid(f), c), fresh) : fresh;
    h = tf.mul(tf.sigmoid(o), tf.tanh(c));
    hs.push(h);
  }
  const hidden = tf.reshape(hs.length === 1 ? (hs[0] as tf.Tensor) : tf.concat(hs, 0), [L, B, H]);
  // [L, B, K] -> [B, L*K]: row b holds decision 0's K logits, then decision 1's, ...
  let z: tf.Tensor = tf.reshape(tf.transpose(tf.add(matMul(hidden, outKernel), outBias), [1, 0, 2]), [B, L * K]);
  if (t.temperature !== 1) z = tf.mul(z, 1 / t.temperature);
  if (t.tanhConstant > 0) z = tf.mul(tf.tanh(z), t.tanhConstant);
  z = tf.add(z, tf.tensor2d(batch.mask, [B, L * K]));
  if (!batch.joint) z = tf.reshape(z, [B, L, K]);
  const logSoftmax = tf.logSoftmax(z);
  const target = tf.tensor(batch.target, z.shape);
  const axes = batch.joint ? [1] : [1, 2];
  const logp = tf.sum(tf.mul(logSoftmax, target), axes) as tf.Tensor1D;
  const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logSoftmax), logSoftmax), axes)) as tf.Tensor1D;
  return { logp, entropy };
}

/**
 * tfjs autodiff of `loss(terms)` with respect to every parameter, as one flat vector laid out like
 * `params` (parameters the batch does not reach get 0).
 */
export function lossAndGradient(
  shape: ControllerShape,
  layout: Layout,
  transform: LogitTransform,
  params: Float32Array,
  batch: TfBatch,
  loss: (terms: PolicyTerms) => tf.Tensor,
): { loss: number; grad: Float32Array } {
  assertGradientsRegistered();
  const sliced = slices(shape, layout, params, batch.mode);
  const f = (...xs: tf.Tensor[]): tf.Scalar => loss(terms(shape, transform, batch, new Map(sliced.map((s, k) => [s.name, xs[k] as tf.Tensor])))) as tf.Scalar;
  const { value, grads } = tf.tidy(() => tf.valueAndGrads(f)(sliced.map((s) => s.tensor)));
  const grad = new Float32Array(layout.size);
  grads.forEach((g, k) => {
    const s = sliced[k] as Slice;
    grad.set(g.dataSync().subarray(0, s.size), s.at);
  });
  const out = { loss: value.dataSync()[0] as number, grad };
  tf.dispose([value, ...grads, ...sliced.map((s) => s.tensor)]);
  return out;
}

/** The terms' values (no gradient): for checks against the JS forward pass. */
export function termValues(shape: ControllerShape, layout: Layout, transform: LogitTransform, params: Float32Array, batch: TfBatch): { logp: Float32Array; entropy: Float32Array } {
  const sliced = slices(shape, layout, params, batch.mode);
  const r = tf.tidy(() => {
    const x = terms(shape, transform, batch, new Map(sliced.map((s) => [s.name, s.tensor])));
    return [x.logp, x.entropy] as const;
  });
  const out = { logp: r[0].dataSync() as Float32Array, entropy: r[1].dataSync() as Float32Array };
  tf.dispose([...r, ...sliced.map((s) => s.tensor)]);
  return out;
}
