import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import path from 'node:path';
import { TsnasError } from '../core/errors.js';
import { BackendUnavailable, isMissing, message } from './backend-unavailable.js';
import { registerCoreGradients } from './gradients.js';
import { registerTrainingKernels } from './kernels/index.js';
import { registerNativeKernels } from './native/index.js';
import { initWebgpu, WEBGPU_PACKAGES } from './webgpu.js';

/** What --backend accepts, 'auto' first; auto tries the others in this order. */
export const BACKEND_CHOICES = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface BackendInfo {
  /** The active tfjs backend: 'tensorflow', 'webgpu', 'wasm' or 'cpu'. */
  name: string;
  /** What was loaded, for logs and reports. */
  detail: string;
  /** Whether the native (OpenBLAS) kernels run the convolutions, on wasm. */
  native?: boolean;
}

/** Native TensorFlow bindings, GPU build first. Both are optional: their install downloads libtensorflow. */
const TF_NODE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/**
 * Selects and initialises the tensor backend, registers gradients and, on wasm, the project's training
 * kernels. 'auto' takes the first of tensorflow, webgpu, wasm, cpu that loads. Safe to call again.
 */
export async function initBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  switch (choice) {
    case 'tensorflow':
      return initTensorflow();
    case 'webgpu':
      return initWebgpuBackend(false);
    case 'wasm':
      return initWasm();
    case 'cpu':
      return initCpu();
    case 'auto': {
      const skipped: string[] = [];
      for (const init of [initTensorflow, () => initWebgpuBackend(true), initWasm, initCpu]) {
        try {
          const info = await init();
          return skipped.length === 0 ? info : { ...info, detail: `${info.detail}; not used: ${skipped.join('; ')}` };
        } catch (e) {
          skipped.push(e instanceof BackendUnavailable ? e.reason : message(e));
        }
      }
      throw new TsnasError(`no tensor backend could be initialised: ${skipped.join('; ')}`);
    }
    default:
      throw new TsnasError(`unknown backend '${String(choice)}' (expected one of ${BACKEND_CHOICES.join(', ')})`);
  }
}

async function initTensorflow(): Promise<BackendInfo> {
  const failures: string[] = [];
  for (const pkg of TF_NODE_PACKAGES) {
    try {
      await import(pkg); // registers the 'tensorflow' backend with the shared tfjs engine
    } catch (e) {
      failures.push(isMissing(e, pkg) ? `${pkg} is not installed` : `${pkg} failed to load: ${message(e)}`);
      continue;
    }
    await registerCoreGradients();
    await activate('tensorflow');
    return { name: 'tensorflow', detail: `${pkg} (libtensorflow${pkg.endsWith('-gpu') ? ', CUDA' : ', CPU'})` };
  }
  throw new BackendUnavailable(
    `tensorflow (${failures.join('; ')})`,
    "install @tensorflow/tfjs-node (or @tensorflow/tfjs-node-gpu for an NVIDIA GPU with CUDA), or use 'wasm'",
  );
}

/** The adapter the webgpu backend runs on, once initialised (Dawn and the device are made once). */
let webgpuAdapter: string | undefined;

/** tfjs's webgpu backend on Dawn; `probeFirst`: auto's quick skip where no GPU shows (see initWebgpu). */
async function initWebgpuBackend(probeFirst: boolean): Promise<BackendInfo> {
  webgpuAdapter ??= (await initWebgpu(probeFirst)).adapter;
  await registerCoreGradients();
  await activate('webgpu');
  return { name: 'webgpu', detail: `${WEBGPU_PACKAGES.tfjs} on Dawn (${WEBGPU_PACKAGES.dawn}): ${webgpuAdapter}` };
}

async function initWasm(): Promise<BackendInfo> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm'); // registers the 'wasm' backend factory
  // In Node the .wasm binaries are read from the package's dist folder; the path must be set before the
  // backend first initialises (setting it again later is harmless). Node runs it single-threaded (SIMD).
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  wasm.setWasmPaths(dir + path.sep);
  await registerCoreGradients();
  await activate('wasm');
  registerTrainingKernels('wasm');
  // Native OpenBLAS kernels, where built, take over the convolutions, MaxPoolGrad and BatchNorm.
  const native = registerNativeKernels('wasm');
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  return {
    name: 'wasm',
    native: native.installed !== undefined,
    detail: `@tensorflow/tfjs-backend-wasm ${wasm.version_wasm} (${simd ? 'SIMD' : 'no SIMD'}, ` +
      `${wasm.getThreadsCount()} thread(s), tsnas training kernels; ` +
      (native.installed !== undefined ? `native kernels on OpenBLAS: ${native.blas})` : `native kernels off: ${native.reason})`),
  };
}

async function initCpu(): Promise<BackendInfo> {
  await import('@tensorflow/tfjs-backend-cpu');
  await registerCoreGradients();
  await activate('cpu');
  // Its first write prints a banner recommending tfjs-node; our detail line already says what runs.
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu !== null) cpu.firstUse = false;
  return { name: 'cpu', detail: '@tensorflow/tfjs-backend-cpu (plain JavaScript: a reference, too slow to train on)' };
}

async function activate(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tsnas: the '${name}' backend failed to initialise`);
  await tf.ready();
}
