import * as tf from '@tensorflow/tfjs-core';

/**
 * Gradient configs for the kernels the controller's loss uses. tfjs-core's Node bundle registers no
 * gradients (the `@tensorflow/tfjs` umbrella package does that, and it is not a dependency here), so
 * autodiff fails with "gradient function not found". Each config follows the textbook derivative;
 * one that is already registered (e.g. by another part of the project) is left alone. The finite-
 * difference test of the controller checks them together.
 */

type Grad = tf.GradConfig;

const transposeLast = (x: tf.Tensor): tf.Tensor => tf.transpose(x, x.rank === 3 ? [0, 2, 1] : [1, 0]);

/** Sums a broadcast gradient back to the shape of the input it came from. */
function unbroadcast(dy: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, dy.shape);
  const reduced = axes.length > 0 ? tf.sum(dy, axes) : dy;
  return tf.reshape(reduced, shape);
}

const binary = (kernelName: string, da: (dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => tf.Tensor, db: (dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => tf.Tensor): Grad => ({
  kernelName,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const g = dy as tf.Tensor;
    return { a: () => unbroadcast(da(g, a, b), a.shape), b: () => unbroadcast(db(g, a, b), b.shape) };
  },
});

const CONFIGS: Grad[] = [
  binary(tf.Add, (dy) => dy, (dy) => dy),
  binary(tf.Sub, (dy) => dy, (dy) => tf.neg(dy)),
  binary(tf.Multiply, (dy, _a, b) => tf.mul(dy, b), (dy, a) => tf.mul(dy, a)),
  // Ties send the gradient to `a`, as tfjs does.
  binary(tf.Minimum, (dy, a, b) => tf.mul(dy, tf.cast(tf.lessEqual(a, b), 'float32')), (dy, a, b) => tf.mul(dy, tf.cast(tf.greater(a, b), 'float32'))),
  {
    kernelName: tf.BatchMatMul,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (a.rank !== b.rank) throw new Error('tsnas controller gradients: BatchMatMul with broadcast batch dimensions is not supported');
      const T = transposeLast;
      const A = transposeA ? T(a) : a;
      const B = transposeB ? T(b) : b;
      const g = dy as tf.Tensor;
      return {
        a: () => (transposeA ? T(tf.matMul(g, T(B))) : tf.matMul(g, T(B))),
        b: () => (transposeB ? T(tf.matMul(T(A), g)) : tf.matMul(T(A), g)),
      };
    },
  },
  {
    kernelName: tf.Sigmoid,
    outputsToSave: [true],
    gradFunc: (dy, saved) => {
      const [y] = saved as [tf.Tensor];
      return { x: () => tf.mul(dy as tf.Tensor, tf.mul(y, tf.sub(1, y))) };
    },
  },
  {
    kernelName: tf.Tanh,
    outputsToSave: [true],
    gradFunc: (dy, saved) => {
      const [y] = saved as [tf.Tensor];
      return { x: () => tf.mul(dy as tf.Tensor, tf.sub(1, tf.square(y))) };
    },
  },
  {
    kernelName: tf.Exp,
    outputsToSave: [true],
    gradFunc: (dy, saved) => ({ x: () => tf.mul(dy as tf.Tensor, (saved as [tf.Tensor])[0]) }),
  },
  { kernelName: tf.Neg, gradFunc: (dy) => ({ x: () => tf.neg(dy as tf.Tensor) }) },
  {
    kernelName: tf.Reshape,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => tf.reshape(dy as tf.Tensor, (saved as [tf.Tensor])[0].shape) }),
  },
  {
    kernelName: tf.Sum,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      const axes = tf.util.parseAxisParam((attrs as unknown as { axis: number | number[] }).axis, x.shape);
      const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      return { x: () => tf.mul(tf.reshape(dy as tf.Tensor, kept), tf.ones(x.shape)) };
    },
  },
  {
    kernelName: tf.Mean,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      const axes = tf.util.parseAxisParam((attrs as unknown as { axis: number | number[] }).axis, x.shape);
      const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const count = axes.reduce((n, a) => n * (x.shape[a] as number), 1);
      return { x: () => tf.mul(tf.reshape(dy as tf.Tensor, kept), tf.fill(x.shape, 1 / count)) };
    },
  },
  {
    kernelName: tf.ClipByValue,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      const { clipValueMin, clipValueMax } = attrs as unknown as { clipValueMin: number; clipValueMax: number };
      return { x: () => tf.mul(dy as tf.Tensor, tf.cast(tf.logicalAnd(tf.greaterEqual(x, clipValueMin), tf.lessEqual(x, clipValueMax)), 'float32')) };
    },
  },
  {
    kernelName: tf.Concat,
    saveAllInputs: true,
    gradFunc: (dy, saved, attrs) => {
      const inputs = saved as tf.Tensor[];
      const axis = tf.util.parseAxisParam((attrs as unknown as { axis: number }).axis, (inputs[0] as tf.Tensor).shape)[0] as number;
      const parts = tf.split(dy as tf.Tensor, inputs.map((t) => t.shape[axis] as number), axis);
      return Object.fromEntries(parts.map((p, i) => [String(i), () => p]));
    },
  },
  {
    kernelName: tf.Transpose,
    gradFunc: (dy, _saved, attrs) => {
      const perm = (attrs as unknown as { perm: number[] }).perm;
      const inverse = perm.map((_, i) => perm.indexOf(i));
      return { x: () => tf.transpose(dy as tf.Tensor, inverse) };
    },
  },
  {
    kernelName: tf.SplitV,
    gradFunc: (dy, _saved, attrs) => ({ x: () => tf.concat(dy as tf.Tensor[], (attrs as unknown as { axis: number }).axis) }),
  },
];

/**
 * a @ b (rank 2 or 3, same rank) whose gradient uses explicit transposes. tfjs's own BatchMatMul
 * gradient (registered when the project loads all of tfjs's gradients) uses matMul's transpose flags,
 * which make wasm's BatchMatMul ~10x slower: the controller's update time was mostly that.
 */
export const matMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor, tf.Tensor];
      return [tf.matMul(dy, transposeLast(sb)), tf.matMul(transposeLast(sa), dy)];
    },
  };
}) as <T extends tf.Tensor>(a: T, b: tf.Tensor) => T;

let registered = false;

/** Registers the configs once per process (idempotent; never overrides an existing gradient). */
export function registerControllerGradients(): void {
  if (registered) return;
  registered = true;
  for (const c of CONFIGS) if (tf.getGradient(c.kernelName) === undefined) tf.registerGradient(c);
}
