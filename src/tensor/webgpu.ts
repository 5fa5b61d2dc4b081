import * as tf from '@tensorflow/tfjs-core';
import { readdirSync } from 'node:fs';
import { TsnasError } from '../core/errors.js';
import { BackendUnavailable, isMissing, message } from './backend-unavailable.js';

/** The optional packages of --backend webgpu, at the exact versions package.json pins. */
export const WEBGPU_PACKAGES = { dawn: 'webgpu@0.6.2', tfjs: '@tensorflow/tfjs-backend-webgpu@4.22.0' } as const;

/**
 * Dawn's create() options, ';'-separated: 'backend=vulkan', 'adapter=NAME' (a wrong name makes Dawn
 * list the adapters), 'enable-dawn-features=a,b'. 'backend=null' gives Dawn's no-op adapter, which runs
 * no shader (its numbers are garbage) but exercises the whole path: the tests use it.
 */
export const DAWN_OPTIONS_ENV = 'TSNAS_DAWN_OPTIONS';

/** The parts of WebGPU's API used here (the packages are optional, so their types may be absent). */
interface Gpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<Adapter | null>;
}
interface Adapter {
  readonly limits: Record<string, number>;
  readonly info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  requestDevice(descriptor: { requiredLimits: Record<string, number> }): Promise<unknown>;
}
interface Dawn {
  create(options: string[]): Gpu;
  globals: Record<string, unknown>;
}
interface TfjsWebgpu {
  WebGPUBackend: new (device: unknown, adapterInfo: unknown) => tf.KernelBackend;
}
/** What the WebGPUBackend instance has that the readSync guard touches. */
interface ReadSync {
  readSync(dataId: object): tf.backend_util.BackendValues;
  hasReadSyncWarned: boolean;
}

/**
 * Limits requested at the adapter's maximum, as tfjs-backend-webgpu's own factory does: WebGPU's
 * defaults cap a storage buffer at 128 MiB, less than a detector batch's activations can take.
 */
const LIMITS = ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize',
  'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup'] as const;

export interface WebgpuInfo {
  /** The adapter as Dawn names it. */
  adapter: string;
}

/**
 * Initialises tfjs's webgpu backend on Dawn. `probeFirst` (auto) skips it without loading Dawn where
 * Linux shows no GPU device node: Dawn's search for a Vulkan or GL driver prints warnings on stderr
 * from native code, which a CPU machine's every run would carry.
 */
export async function initWebgpu(probeFirst: boolean): Promise<WebgpuInfo> {
  const options = (process.env[DAWN_OPTIONS_ENV] ?? '').split(';').map((s) => s.trim()).filter((s) => s !== '');
  if (probeFirst && options.length === 0 && process.platform === 'linux' && gpuDeviceNodes().length === 0) {
    throw new BackendUnavailable('webgpu (no GPU device in /dev)', 'this machine shows no GPU (/dev/nvidia*, /dev/dri/renderD*)');
  }
  const dawn = await importOptional<Dawn>(WEBGPU_PACKAGES.dawn);
  const gpu = dawn.create(options);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) {
    throw new BackendUnavailable('webgpu (no WebGPU adapter found)',
      `Dawn found no GPU it can drive (it needs a Vulkan driver with the features WebGPU requires; Mesa's lavapipe on Debian 12 lacks one)${options.length > 0 ? `; ${DAWN_OPTIONS_ENV}=${options.join(';')}` : ''}`);
  }
  // tfjs-backend-webgpu reads WebGPU's constants (GPUBufferUsage, ...) and navigator.gpu as globals.
  Object.assign(globalThis, dawn.globals);
  const g = globalThis as { navigator?: object };
  g.navigator ??= {};
  Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  const { WebGPUBackend } = await importOptional<TfjsWebgpu>(WEBGPU_PACKAGES.tfjs); // registers its kernels
  // Its own factory (registered at import only where navigator.gpu already existed) asks for an
  // adapter again; this one uses the adapter found above.
  tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', async () => {
    const requiredLimits = Object.fromEntries(LIMITS.map((l) => [l, adapter.limits[l]!]));
    const backend = new WebGPUBackend(await adapter.requestDevice({ requiredLimits }), adapter.info);
    guardReadSync(backend as unknown as ReadSync);
    return backend;
  });
  const info = adapter.info ?? {};
  return { adapter: [info.vendor, info.architecture, info.description || info.device].filter((s) => s).join(' ') || 'unnamed adapter' };
}

/**
 * tfjs-backend-webgpu reads a tensor synchronously (dataSync) through OffscreenCanvas, which Node
 * lacks: say so, instead of "OffscreenCanvas is not defined" after a warning about speed.
 */
function guardReadSync(backend: ReadSync): void {
  const stock = backend.readSync.bind(backend);
  backend.hasReadSyncWarned = true;
  backend.readSync = (dataId) => {
    try {
      return stock(dataId);
    } catch (e) {
      if (e instanceof ReferenceError && e.message.includes('OffscreenCanvas')) {
        throw new TsnasError('the webgpu backend cannot read a tensor synchronously in Node (dataSync, arraySync): read it with await tensor.data()');
      }
      throw e;
    }
  };
}

/** NVIDIA's and DRM's render nodes (AMD, Intel, also NVIDIA's open driver). */
export function gpuDeviceNodes(): string[] {
  const list = (dir: string, pattern: RegExp): string[] => {
    try {
      return readdirSync(dir).filter((f) => pattern.test(f)).map((f) => `${dir}/${f}`);
    } catch {
      return [];
    }
  };
  return [...list('/dev', /^nvidia\d+$/), ...list('/dev/dri', /^renderD\d+$/)];
}

/** Imports `name@version`'s package; a missing one is a BackendUnavailable saying what to install. */
async function importOptional<T>(spec: string): Promise<T> {
  const pkg = spec.slice(0, spec.lastIndexOf('@'));
  try {
    return (await import(pkg)) as T;
  } catch (e) {
    if (isMissing(e, pkg)) throw new BackendUnavailable(`webgpu (${pkg} is not installed)`, `install ${spec} to use --backend webgpu`);
    throw new BackendUnavailable(`webgpu (${pkg} failed to load: ${message(e)})`, `reinstall ${spec}`);
  }
}
