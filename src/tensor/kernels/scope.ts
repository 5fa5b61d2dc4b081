import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs other kernels of one backend on raw TensorInfos from inside a kernel function, and frees every
 * intermediate when disposed. Calling kernels directly (not through tf ops) keeps intermediates off the
 * engine's tensor count and off the gradient tape; every TensorInfo a kernel returns owns one reference
 * to its data (Reshape shares data but takes a reference), so freeing each once is exact.
 */
export class KernelScope {
  private readonly owned: tf.TensorInfo[] = [];

  constructor(
    private readonly backend: tf.KernelBackend,
    private readonly backendName: string,
  ) {}

  /** Runs a single-output kernel; its result is freed by dispose() unless kept. */
  run(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    const outs = this.runAll(kernelName, inputs, attrs);
    if (outs.length !== 1) throw new Error(`tsnas: kernel '${kernelName}' returned ${outs.length} outputs, expected 1`);
    return outs[0]!;
  }

  /** Runs a kernel that may return several outputs (e.g. MaxPoolWithArgmax). */
  runAll(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo[] {
    const kernel = tf.getKernel(kernelName, this.backendName);
    if (kernel === undefined) {
      throw new Error(`tsnas: kernel '${kernelName}' is not registered for backend '${this.backendName}'`);
    }
    const out = kernel.kernelFunc({ inputs, attrs, backend: this.backend });
    const outs = Array.isArray(out) ? out : [out];
    this.owned.push(...outs);
    return outs;
  }

  /** Takes `info` out of this scope so that dispose() leaves it alive: the kernel's result. */
  keep(info: tf.TensorInfo): tf.TensorInfo {
    const i = this.owned.indexOf(info);
    if (i < 0) throw new Error('tsnas: KernelScope.keep() got a TensorInfo this scope does not own');
    this.owned.splice(i, 1);
    return info;
  }

  dispose(): void {
    for (const info of this.owned.splice(0)) this.backend.disposeData(info.dataId);
  }
}

/** Runs `body` with a fresh scope and returns the kept result; intermediates are freed even on error. */
export function withScope(
  backend: tf.KernelBackend,
  backendName: string,
  body: (s: KernelScope) => tf.TensorInfo,
): tf.TensorInfo {
  const s = new KernelScope(backend, backendName);
  try {
    return s.keep(body(s));
  } finally {
    s.dispose();
  }
}

/** Picks a kernel's named inputs, failing clearly when one is absent. */
export function inputsOf<K extends string>(
  kernelName: string,
  inputs: tf.NamedTensorInfoMap,
  names: readonly K[],
): Record<K, tf.TensorInfo> {
  const out = {} as Record<K, tf.TensorInfo>;
  for (const name of names) {
    const info = inputs[name];
    if (info === undefined) throw new Error(`tsnas ${kernelName}: missing input '${name}'`);
    out[name] = info;
  }
  return out;
}
