// --backend webgpu: pinned optional packages, a fast clear failure without an adapter, auto's order,
// every kernel the detector's and the CNN's training uses registered for webgpu, and the whole path on
// Dawn's no-op adapter (a child process: it sets navigator.gpu and the webgpu backend).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { ProxyCnn } from '../../benchmarks/workers/proxy-cnn.js';
import { createDigitDetectionDataset } from '../../src/data/index.js';
import { Detector, detectorConfig } from '../../src/tasks/detection/detector.js';
import { NAMED_PYRAMIDS } from '../../src/spaces/nasfpn/named.js';
import { DEFAULT_NASFPN_CONFIG } from '../../src/spaces/nasfpn/space.js';
import { adam, initBackend } from '../../src/tensor/index.js';
import { kernelsRun, missingKernels } from '../../src/tensor/kernel-coverage.js';
import { gpuDeviceNodes, WEBGPU_PACKAGES } from '../../src/tensor/webgpu.js';

/** Whether this machine has a WebGPU adapter (then the no-adapter tests skip, and the others still run). */
async function adapterHere(): Promise<string | undefined> {
  try {
    return (await initBackend('webgpu')).detail;
  } catch {
    return undefined;
  }
}

describe('webgpu backend', () => {
  it("pins the optional packages' exact versions in package.json", () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { optionalDependencies: Record<string, string> };
    for (const spec of Object.values(WEBGPU_PACKAGES)) {
      const at = spec.lastIndexOf('@');
      assert.equal(pkg.optionalDependencies[spec.slice(0, at)], spec.slice(at + 1), spec);
    }
  });

  it('without an adapter fails fast, saying none was found', async (t) => {
    const present = await adapterHere();
    if (present !== undefined) {
      t.skip(`a WebGPU adapter is present: ${present}`);
      return;
    }
    const started = performance.now();
    await assert.rejects(initBackend('webgpu'), /backend webgpu \(no WebGPU adapter found\) is unavailable: Dawn found no GPU/);
    const ms = performance.now() - started;
    assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
  });

  it("'auto' tries webgpu after tensorflow, before wasm, and says why it skipped it", async (t) => {
    const info = await initBackend('auto');
    if (info.name === 'tensorflow' || info.name === 'webgpu') {
      t.skip(`auto chose ${info.name} here`);
      return;
    }
    const why = gpuDeviceNodes().length === 0 ? 'no GPU device in /dev' : 'no WebGPU adapter found';
    assert.match(info.detail, new RegExp(`not used: tensorflow \\(.*\\); webgpu \\(${why}\\)$`, 's'));
  });

  it('registers every kernel the detector (train and predict) and the CNN run', async () => {
    await initBackend('cpu'); // it dispatches what webgpu would: neither has tsnas's fused kernels
    const det = new Detector(NAMED_PYRAMIDS['nasfpn-paper']!, detectorConfig(DEFAULT_NASFPN_CONFIG), 1);
    const batch = createDigitDetectionDataset({ split: 'train', numImages: 1, seed: 0 }).batches(1).next().value!;
    const optimizer = adam(1e-3);
    const cnn = new ProxyCnn(2, 1, 1);
    const used = new Set([
      ...await kernelsRun(() => det.trainStep(optimizer, batch)),
      ...await kernelsRun(() => det.predict(batch)),
      ...await kernelsRun(() => cnn.step(0)),
    ]);
    det.dispose();
    optimizer.dispose();
    cnn.dispose();
    for (const k of [tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput, tf.MaxPoolGrad, tf.Sigmoid, tf.SplitV]) assert.ok(used.has(k), `${k} recorded`);
    await import(WEBGPU_PACKAGES.tfjs.slice(0, WEBGPU_PACKAGES.tfjs.lastIndexOf('@'))); // registers its kernels; needs no adapter
    assert.deepEqual(missingKernels([...used], 'webgpu'), []);
    assert.deepEqual(missingKernels(['TsnasNoSuchKernel'], 'webgpu'), ['TsnasNoSuchKernel']);
  });

  it('names the package to install when webgpu or tfjs-backend-webgpu is missing', () => {
    for (const spec of Object.values(WEBGPU_PACKAGES)) {
      const pkg = spec.slice(0, spec.lastIndexOf('@'));
      // A resolve hook hides the package, as on a machine where its optional install failed.
      const hook = `export async function resolve(s, c, next) {
        if (s === ${JSON.stringify(pkg)}) throw Object.assign(new Error("Cannot find package '${pkg}'"), { code: 'ERR_MODULE_NOT_FOUND' });
        return next(s, c);
      }`;
      const script = `
        import { register } from 'node:module';
        register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
        const { initBackend } = await import(${JSON.stringify(new URL('../../src/tensor/index.js', import.meta.url).href)});
        await initBackend('webgpu').then(() => console.log('loaded'), (e) => console.log(e.message));`;
      // The null adapter gets past Dawn, so that a missing tfjs-backend-webgpu is reached too.
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        env: { ...process.env, TSNAS_DAWN_OPTIONS: 'backend=null' },
        timeout: 120_000,
      });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), `backend webgpu (${pkg} is not installed) is unavailable: install ${spec} to use --backend webgpu`);
    }
  });

  it("trains the detector and the CNN and predicts on Dawn's no-op adapter, and refuses a synchronous read clearly", () => {
    const src = (p: string) => JSON.stringify(new URL(p, import.meta.url).href);
    const script = `
      const { initBackend } = await import(${src('../../src/tensor/index.js')});
      const { ProxyDetector } = await import(${src('../../benchmarks/workers/proxy-detector.js')});
      const { ProxyCnn } = await import(${src('../../benchmarks/workers/proxy-cnn.js')});
      const info = await initBackend('webgpu');
      const det = new ProxyDetector(1);
      const cnn = new ProxyCnn(2, 1, 1);
      const losses = [await det.stepAsync(), await cnn.stepAsync(0)];
      const predicted = (await det.detector.predictAsync(det.batch)).length;
      let sync = 'read';
      try { det.step(); } catch (e) { sync = e.message; }
      console.log(JSON.stringify({ info, losses, predicted, sync }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, TSNAS_DAWN_OPTIONS: 'backend=null' },
      timeout: 300_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { info: { name: string; detail: string }; losses: unknown[]; predicted: number; sync: string };
    assert.equal(out.info.name, 'webgpu');
    assert.match(out.info.detail, /on Dawn \(webgpu@0\.6\.2\): null-backend/);
    assert.equal(out.losses.length, 2); // values are garbage: the no-op adapter runs no shader
    assert.equal(out.predicted, 1, 'detections for the one image');
    assert.match(out.sync, /cannot read a tensor synchronously in Node .* await tensor\.data\(\)/);
  });
});
