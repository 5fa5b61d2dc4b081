import * as tf from '@tensorflow/tfjs-core';

/**
 * Name of the kernel that runs one Adam step for all of a step's variables at once: inputs value<i>,
 * gradient<i>, m<i>, v<i> for i = 0..n-1; outputs value'<i>, m'<i>, v'<i>, three per variable in
 * that order. One call a step rather than one per variable (~110 for the detector).
 */
export const ADAM_UPDATE = 'TsnasAdamUpdate';

export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** beta1^t and beta2^t for this step t (1-based): the bias corrections. */
  accBeta1: number;
  accBeta2: number;
}

/**
 * The state tf.AdamOptimizer keeps in private fields; kept in the same layout so that its
 * getWeights / setWeights / dispose work unchanged on this subclass.
 */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
}

type Gradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/**
 * tf.train.adam with the update of each variable fused into one kernel where the backend has it
 * (wasm): tfjs's Adam runs ~15 elementwise kernels per variable, which for a detector with ~110
 * small variables costs more in dispatch than in arithmetic. Same results and state as the stock
 * optimizer, which it falls back to on other backends.
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
  }

  /**
   * beta1^t and beta2^t as the optimizer holds them (float32). setWeights recomputes them with a pow,
   * which differs in the last bit from the running product: a restored run sets them back exactly.
   */
  async biasCorrections(): Promise<[number, number]> {
    const s = this as unknown as AdamState;
    return [(await s.accBeta1.data())[0]!, (await s.accBeta2.data())[0]!];
  }

  setBiasCorrections([b1, b2]: readonly [number, number]): void {
    const s = this as unknown as AdamState;
    tf.tidy(() => {
      s.accBeta1.assign(tf.scalar(b1));
      s.accBeta2.assign(tf.scalar(b2));
    });
  }

  override applyGradients(variableGradients: Gradients): void {
    if (tf.getKernel(ADAM_UPDATE, tf.getBackend()) === undefined) {
      super.applyGradients(variableGradients);
      return;
    }
    const s = this as unknown as AdamState;
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const accBeta1 = s.accBeta1.dataSync()[0]!;
    const accBeta2 = s.accBeta2.dataSync()[0]!;
    const attrs: AdamUpdateAttrs = { learningRate: s.learningRate, beta1: s.beta1, beta2: s.beta2, epsilon: s.epsilon, accBeta1, accBeta2 };
    tf.tidy(() => {
      const inputs: tf.NamedTensorMap = {};
      const updated: [tf.Variable, tf.Variable, tf.Variable][] = [];
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name]!;
        s.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        s.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        const gradient = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name];
        if (gradient == null) return;
        const m = s.accumulatedFirstMoment[i]!.variable;
        const v = s.accumulatedSecondMoment[i]!.variable;
        const k = updated.length;
        Object.assign(inputs, { [`value${k}`]: value, [`gradient${k}`]: gradient, [`m${k}`]: m, [`v${k}`]: v });
        updated.push([value, m, v]);
      });
      if (updated.length > 0) {
        const out = tf.engine().runKernel(ADAM_UPDATE, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
        const next = Array.isArray(out) ? out : [out];
        updated.forEach((vars, k) => vars.forEach((variable, j) => variable.assign(next[3 * k + j]!)));
      }
      s.accBeta1.assign(tf.scalar(accBeta1 * s.beta1));
      s.accBeta2.assign(tf.scalar(accBeta2 * s.beta2));
    });
    this.incrementIterations();
  }
}

/** Drop-in for tf.train.adam. */
export function adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number): FusedAdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon);
}
