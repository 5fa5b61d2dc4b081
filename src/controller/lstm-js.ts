import { view, type ControllerShape, type Layout } from './params.js';

/** How logits are shaped before the softmax: z/T, then C*tanh(z/T) when C > 0 (ENAS, NASNet's sampler). */
export interface LogitTransform {
  readonly temperature: number;
  readonly tanhConstant: number;
}

export function transformLogit(z: number, t: LogitTransform): number {
  const s = z / t.temperature;
  return t.tanhConstant > 0 ? t.tanhConstant * Math.tanh(s) : s;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** sum_i a[ao + i] * b[bo + i], four accumulators (about twice the speed of one in V8). */
function dot(a: ArrayLike<number>, ao: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += (a[ao + i] as number) * (b[bo + i] as number);
    s1 += (a[ao + i + 1] as number) * (b[bo + i + 1] as number);
    s2 += (a[ao + i + 2] as number) * (b[bo + i + 2] as number);
    s3 += (a[ao + i + 3] as number) * (b[bo + i + 3] as number);
  }
  for (; i < n; i++) s0 += (a[ao + i] as number) * (b[bo + i] as number);
  return s0 + s1 + s2 + s3;
}

/**
 * The controller's forward pass for one sequence in plain JS (float64 arithmetic on the float32
 * weights). At this size (one row, 100 units) tfjs spends far more on per-op overhead than on math,
 * so sampling runs here; tf only computes gradients, over a whole batch (see lstm-tf.ts, which
 * computes the same function).
 */
export class JsLstm {
  private readonly h: Float64Array;
  private readonly c: Float64Array;
  private readonly gates: Float64Array;
  private first = true;
  /** The LSTM kernel transposed, [4H, 2H] (row j: gate j's input then recurrent weights), per update. */
  private kernelT: Float64Array | null = null;
  /** bias + x W_x per input row (index 0: the start token), computed on first use after each update. */
  private readonly projections: (Float64Array | undefined)[];

  constructor(
    private readonly shape: ControllerShape,
    private readonly layout: Layout,
    /** The live parameter vector. */
    private readonly params: () => Float32Array,
    private readonly transform: LogitTransform,
  ) {
    this.h = new Float64Array(shape.units);
    this.c = new Float64Array(shape.units);
    this.gates = new Float64Array(4 * shape.units);
    this.projections = new Array<Float64Array | undefined>(shape.decisions * shape.candidates + 1);
  }

  /** Must be called whenever the parameters change. */
  invalidate(): void {
    this.projections.fill(undefined);
    this.kernelT = null;
  }

  private transposed(): Float64Array {
    if (this.kernelT) return this.kernelT;
    const H = this.shape.units;
    const G = 4 * H;
    const kernel = view(this.params(), this.layout.kernel);
    const t = new Float64Array(G * 2 * H);
    for (let i = 0; i < 2 * H; i++) for (let j = 0; j < G; j++) t[j * 2 * H + i] = kernel[i * G + j] as number;
    this.kernelT = t;
    return t;
  }

  /** The input part of the gates: reused by every sample that feeds the same row before the next update. */
  private projection(input: number): Float64Array {
    const cached = this.projections[input + 1];
    if (cached) return cached;
    const H = this.shape.units;
    const p = this.params();
    const kt = this.transposed();
    const x = input < 0 ? view(p, this.layout.start) : view(p, this.layout.embed).subarray(input * H, (input + 1) * H);
    const bias = view(p, this.layout.bias);
    const v = new Float64Array(4 * H);
    for (let j = 0; j < 4 * H; j++) v[j] = (bias[j] as number) + dot(x, 0, kt, j * 2 * H, H);
    this.projections[input + 1] = v;
    return v;
  }

  reset(): void {
    this.h.fill(0);
    this.c.fill(0);
    this.first = true;
  }

  /**
   * One LSTM step. `input` is an embedding row (decision * K + candidate) or -1 for the start token;
   * writes the transformed logits of decision `position` into `out` (length K).
   */
  step(input: number, position: number, out: Float64Array): void {
    const { units: H, candidates: K } = this.shape;
    const { h, c, gates } = this;
    gates.set(this.projection(input));
    if (!this.first) {
      // The state is zero before the first step.
      const kt = this.transposed();
      for (let j = 0; j < 4 * H; j++) gates[j] = (gates[j] as number) + dot(h, 0, kt, j * 2 * H + H, H);
    }
    this.first = false;
    for (let j = 0; j < H; j++) {
      const cj = sigmoid(gates[H + j] as number) * (c[j] as number) + sigmoid(gates[j] as number) * Math.tanh(gates[2 * H + j] as number);
      c[j] = cj;
      h[j] = sigmoid(gates[3 * H + j] as number) * Math.tanh(cj);
    }
    const p = this.params();
    const outKernel = view(p, this.layout.outKernel);
    const outBias = view(p, this.layout.outBias);
    for (let k = 0; k < K; k++) out[k] = outBias[position * K + k] as number;
    for (let i = 0; i < H; i++) {
      const hi = h[i] as number;
      const off = (position * H + i) * K;
      for (let k = 0; k < K; k++) out[k] = (out[k] as number) + hi * (outKernel[off + k] as number);
    }
    for (let k = 0; k < K; k++) out[k] = transformLogit(out[k] as number, this.transform);
  }
}
