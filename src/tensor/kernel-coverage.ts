import * as tf from '@tensorflow/tfjs-core';

/**
 * The kernels `run` dispatches on the active backend, sorted, as tf.profile records them. A
 * tf.customGrad op (softmaxCrossEntropy) is recorded under its op name, which no backend registers
 * (its forward function dispatches the kernels): names the backend has no kernel for are left out.
 */
export async function kernelsRun(run: () => unknown): Promise<string[]> {
  const backend = tf.getBackend();
  const profile = await tf.profile(async () => {
    await run();
  });
  return [...new Set(profile.kernelNames)].filter((name) => tf.getKernel(name, backend) !== undefined).sort();
}

/** The kernels of `names` that `backend` does not register. */
export function missingKernels(names: readonly string[], backend: string): string[] {
  return names.filter((name) => tf.getKernel(name, backend) === undefined);
}
