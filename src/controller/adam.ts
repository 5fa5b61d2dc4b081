import { decodeFloats, encodeFloats } from './params.js';

export interface AdamState {
  step: number;
  m: string;
  v: string;
}

/**
 * Adam (Kingma & Ba 2015, bias-corrected) on a flat float32 parameter vector, in plain JS: its moments
 * and step count are ours to snapshot, and the update is the same on every tf backend.
 */
export class Adam {
  private m: Float32Array;
  private v: Float32Array;
  private step = 0;

  constructor(
    readonly size: number,
    public lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  /** params -= lr * mhat / (sqrt(vhat) + eps). */
  apply(params: Float32Array, grad: Float32Array): void {
    this.step++;
    const { beta1: b1, beta2: b2, eps, m, v } = this;
    const c1 = 1 - b1 ** this.step;
    const c2 = 1 - b2 ** this.step;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i] as number;
      const mi = b1 * (m[i] as number) + (1 - b1) * g;
      const vi = b2 * (v[i] as number) + (1 - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] = (params[i] as number) - (this.lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
    }
  }

  state(): AdamState {
    return { step: this.step, m: encodeFloats(this.m), v: encodeFloats(this.v) };
  }

  restore(s: AdamState): void {
    this.step = s.step;
    this.m = decodeFloats(s.m, this.size, 'adam.m');
    this.v = decodeFloats(s.v, this.size, 'adam.v');
  }
}
