import * as tf from '@tensorflow/tfjs-core';
import { registerBatchNormGradient } from '../batch-norm.js';
import { registerFocalLossGradient } from '../focal-loss.js';
import { adamUpdateConfig } from '../kernels/adam-update.js';
import { maxPoolGradConfig } from '../kernels/max-pool-grad.js';
import { installedBy } from '../kernels/tags.js';
import { nativeKernels } from './addon.js';
import { nativeAvgPoolGradConfig } from './avg-pool-grad.js';
import { nativeBatchNormConfigs } from './batch-norm.js';
import { nativeConvConfigs, nativeDepthwiseConfigs } from './conv.js';
import { nativeCopyConfigs } from './copy-runs.js';
import { nativeElementwiseConfigs } from './elementwise.js';
import { nativeFocalLossConfigs } from './focal-loss.js';
import { nativeMaxPoolScatter } from './max-pool-grad.js';
import { nativeSumConfig } from './sum.js';
import { nativeUpsampleConfigs } from './upsample.js';
import { registerReluGradient } from '../relu-grad.js';
import { registerUpsampleGradient } from '../upsample.js';

export { nativeKernels } from './addon.js';
export type { NativeKernels, NativeStatus } from './addon.js';

/** The native depthwise forward replaces XNNPACK's: 1.6-20x less CPU on NASNet's shapes (benchmarks/depthwise-native.ts). */
const NATIVE_DEPTHWISE_FORWARD = true;

/** The kernels registerNativeKernels displaced, by backend and kernel name. */
const displaced = new Map<string, tf.KernelConfig>();

/** The kernel a native one displaced (a wasm composite or the stock kernel), for A/B measurements and tests. */
export function displacedByNative(kernelName: string, backendName = 'wasm'): tf.KernelConfig | undefined {
  return displaced.get(`${backendName}/${kernelName}`);
}

/**
 * Installs the native kernels for the wasm backend (call after it is initialised): convolutions and
 * their gradients, the depthwise convolutions' gradients, MaxPoolGrad, AvgPoolGrad, the fused BatchNorm, the fused sigmoid focal loss, nearest-neighbour upsampling, the Adam step, the run copy of Concat, SplitV and Slice, Add and Multiply of one shape or over channels, ReLU's gradient, and Sum over adjacent axes. Each replaced
 * kernel keeps the one it replaces as its fallback for what it does not handle (NCHW, other dtypes).
 * Returns the kernels installed and OpenBLAS's description, or why the addon is not available.
 */
export function registerNativeKernels(backendName = 'wasm'): { installed: string[]; blas: string } | { installed?: undefined; reason: string } {
  const { kernels: native, reason } = nativeKernels();
  if (native === undefined) return { reason: reason ?? 'unavailable' };
  const current = (name: string) => {
    const k = tf.getKernel(name, backendName);
    return k !== undefined && installedBy.get(k.kernelFunc) !== 'native' ? k : undefined;
  };
  const configs = [
    ...nativeConvConfigs(native, backendName, current),
    // An addon built before the depthwise kernels lacks them (npm run build:native adds them).
    ...(typeof native.depthwiseForward === 'function' ? nativeDepthwiseConfigs(native, backendName, current, NATIVE_DEPTHWISE_FORWARD) : []),
    maxPoolGradConfig(backendName, current(tf.MaxPoolGrad), nativeMaxPoolScatter(native)),
    // So does one built before the average-pool gradient.
    ...(typeof native.avgPoolGrad === 'function' ? [nativeAvgPoolGradConfig(native, backendName, current(tf.AvgPoolGrad))] : []),
    ...(typeof native.copyRuns === 'function' ? nativeCopyConfigs(native, backendName, current) : []),
    // And before the elementwise loops.
    ...(typeof native.binaryRuns === 'function' ? nativeElementwiseConfigs(native, backendName, current) : []),
    // And before the sum over adjacent axes.
    ...(typeof native.sumAxes === 'function' ? [nativeSumConfig(native, backendName, current(tf.Sum))] : []),
    ...nativeBatchNormConfigs(native, backendName),
    ...nativeFocalLossConfigs(native, backendName),
    // An addon built before the upsampling kernels lacks them.
    ...(typeof native.upsampleNearest === 'function' ? nativeUpsampleConfigs(native, backendName) : []),
    adamUpdateConfig(backendName, native.adamUpdate),
  ];
  const installed: string[] = [];
  for (const config of configs) {
    const existing = tf.getKernel(config.kernelName, backendName);
    if (existing !== undefined && installedBy.get(existing.kernelFunc) === 'native') continue;
    if (existing !== undefined) {
      displaced.set(`${backendName}/${config.kernelName}`, existing);
      tf.unregisterKernel(config.kernelName, backendName);
    }
    installedBy.set(config.kernelFunc, 'native');
    tf.registerKernel(config);
    installed.push(config.kernelName);
  }
  registerBatchNormGradient();
  registerFocalLossGradient();
  registerUpsampleGradient();
  registerReluGradient();
  return { installed, blas: native.blasInfo() };
}
