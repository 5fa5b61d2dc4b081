import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/rng.js';

let instances = 0;

/**
 * The variables of one model, created on first use under unique names (tfjs registers variable names
 * globally, and a worker trains many children), with seeded initialisers so a trial is reproducible.
 */
export class ParamStore {
  private readonly vars = new Map<string, tf.Variable>();
  private readonly prefix = `m${++instances}/`;
  private readonly rng: Rng;

  constructor(seed: number) {
    this.rng = Rng.fromSeed(seed);
  }

  /** A trainable variable, created with `init` (given a seed) the first time `name` is asked for. */
  get(name: string, init: (seed: number) => tf.Tensor, trainable = true): tf.Variable {
    let v = this.vars.get(name);
    if (!v) {
      const seed = this.rng.seed();
      v = tf.tidy(() => tf.variable(init(seed), trainable, this.prefix + name));
      this.vars.set(name, v);
    }
    return v;
  }

  /** He-normal initialised convolution filter [k, k, cin, cout]. */
  convFilter(name: string, k: number, cin: number, cout: number): tf.Variable {
    return this.get(name, (seed) => tf.randomNormal([k, k, cin, cout], 0, Math.sqrt(2 / (k * k * cin)), 'float32', seed));
  }

  constant(name: string, shape: number[], value: number, trainable = true): tf.Variable {
    return this.get(name, () => tf.fill(shape, value), trainable);
  }

  trainable(): tf.Variable[] {
    return [...this.vars.values()].filter((v) => v.trainable);
  }

  all(): ReadonlyMap<string, tf.Variable> {
    return this.vars;
  }

  /** Number of trainable parameters (BatchNorm moving statistics excluded). */
  count(): number {
    return this.trainable().reduce((n, v) => n + v.size, 0);
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}
