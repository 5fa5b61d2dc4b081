import seedrandom from 'seedrandom';

/** Serialisable state of an {@link Rng}: enough to continue the exact same stream after a restart. */
export interface RngState {
  readonly c: number;
  readonly s0: number;
  readonly s1: number;
  readonly s2: number;
}

/**
 * Seeded pseudo-random generator (Alea, via seedrandom) whose state can be exported and restored,
 * so a resumed search draws the same numbers as an uninterrupted one.
 */
export class Rng {
  private gen: seedrandom.StatefulPRNG<seedrandom.State.Alea>;

  private constructor(gen: seedrandom.StatefulPRNG<seedrandom.State.Alea>) {
    this.gen = gen;
  }

  static fromSeed(seed: number | string): Rng {
    return new Rng(seedrandom.alea(String(seed), { state: true }));
  }

  static fromState(state: RngState): Rng {
    return new Rng(seedrandom.alea('', { state: { ...state } }));
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.gen();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.gen() * n);
  }

  /** A uniformly chosen element. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick: empty list');
    return items[this.int(items.length)] as T;
  }

  /** Index drawn with probability proportional to `weights` (need not sum to 1). */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i] as number;
    if (!(total > 0)) throw new RangeError('Rng.categorical: weights must have a positive sum');
    let u = this.gen() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i] as number;
      if (u < 0) return i;
    }
    // Rounding can leave u at ~0 after the loop: fall back to the last positive weight.
    for (let i = weights.length - 1; i >= 0; i--) if ((weights[i] as number) > 0) return i;
    return weights.length - 1;
  }

  /** `k` distinct indices from [0, n), in draw order. */
  sampleIndices(n: number, k: number): number[] {
    if (k > n) throw new RangeError(`Rng.sampleIndices: cannot draw ${k} of ${n}`);
    const pool = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      [pool[i], pool[j]] = [pool[j] as number, pool[i] as number];
    }
    return pool.slice(0, k);
  }

  /** A 31-bit integer seed, e.g. for a child evaluation. */
  seed(): number {
    return Math.floor(this.gen() * 0x7fffffff);
  }

  state(): RngState {
    return this.gen.state();
  }

  /** Continues from an exported state, in place (holders of this object see the restored stream). */
  restore(state: RngState): void {
    this.gen = seedrandom.alea('', { state: { ...state } });
  }
}

/** Deterministic 31-bit seed derived from a base seed and a trial number (independent of draw order). */
export function deriveSeed(base: number, index: number): number {
  return Rng.fromSeed(`${base}:${index}`).seed();
}
