import type { Rng } from '../core/rng.js';

/** Size of a controller: L decisions, K = the space's maxCandidates, H LSTM units. */
export interface ControllerShape {
  readonly decisions: number;
  readonly candidates: number;
  readonly units: number;
}

/** Where each parameter lives in the flat vector (offset, length), and its logical shape. */
export interface Layout {
  /** Learned start token, [H]: the input of the first step when sampling. */
  readonly start: readonly [number, number];
  /** One embedding per (decision, candidate), [L, K, H]. */
  readonly embed: readonly [number, number];
  /** LSTM kernel, [2H, 4H]: rows 0..H-1 act on the input, rows H..2H-1 on the hidden state; gate columns i, f, g, o. */
  readonly kernel: readonly [number, number];
  readonly bias: readonly [number, number];
  /** One output layer per decision, [L, H, K] and [L, K]. */
  readonly outKernel: readonly [number, number];
  readonly outBias: readonly [number, number];
  readonly size: number;
}

export function layoutOf({ decisions: L, candidates: K, units: H }: ControllerShape): Layout {
  let at = 0;
  const take = (n: number): [number, number] => {
    const r: [number, number] = [at, n];
    at += n;
    return r;
  };
  const start = take(H);
  const embed = take(L * K * H);
  const kernel = take(2 * H * 4 * H);
  const bias = take(4 * H);
  const outKernel = take(L * H * K);
  const outBias = take(L * K);
  return { start, embed, kernel, bias, outKernel, outBias, size: at };
}

export function view(flat: Float32Array, part: readonly [number, number]): Float32Array {
  return flat.subarray(part[0], part[0] + part[1]);
}

/** Every weight U(-init, init), as NASNet's controller (init 0.1), drawn from the strategy's RNG. */
export function initParams(layout: Layout, rng: Rng, init = 0.1): Float32Array {
  const p = new Float32Array(layout.size);
  for (let i = 0; i < p.length; i++) p[i] = (2 * rng.next() - 1) * init;
  return p;
}

/** Float32 vector <-> base64 of its little-endian bytes: exact, and ~5x smaller than a JSON number list. */
export function encodeFloats(a: Float32Array): string {
  const le = new Uint8Array(a.length * 4);
  const dv = new DataView(le.buffer);
  for (let i = 0; i < a.length; i++) dv.setFloat32(i * 4, a[i] as number, true);
  return Buffer.from(le).toString('base64');
}

export function decodeFloats(text: string, expected: number, what: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== expected * 4) throw new Error(`controller state: ${what} holds ${bytes.length / 4} values, expected ${expected}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(expected);
  for (let i = 0; i < expected; i++) out[i] = dv.getFloat32(i * 4, true);
  return out;
}
