// initBackend: selection, idempotence, a clear error for the absent native backend, kernel registration.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, registerTrainingKernels } from '../../src/tensor/index.js';

describe('initBackend', () => {
  it("'wasm' loads SIMD wasm and registers the training kernels; a second call is fine", async () => {
    const first = await initBackend('wasm');
    assert.equal(first.name, 'wasm');
    assert.match(first.detail, /SIMD/);
    const again = await initBackend('wasm');
    assert.deepEqual(again, first);
    assert.equal(tf.getBackend(), 'wasm');
    for (const k of [tf.Conv2DBackpropFilter, tf.DepthwiseConv2dNativeBackpropInput, tf.DepthwiseConv2dNativeBackpropFilter]) {
      assert.ok(tf.getKernel(k, 'wasm'), `${k} registered`);
    }
    assert.deepEqual(registerTrainingKernels('wasm'), { added: [], replaced: [] }, 'registering again is a no-op');
    assert.ok(tf.getGradient(tf.Conv2D), 'gradients registered');
  });

  it("'tensorflow' fails clearly when tfjs-node is absent", async (t) => {
    try {
      await import('@tensorflow/tfjs-node' as string);
      t.skip('@tensorflow/tfjs-node is installed here');
      return;
    } catch {
      // expected on machines without libtensorflow
    }
    await assert.rejects(initBackend('tensorflow'), /npm install|install @tensorflow\/tfjs-node/);
    assert.equal(tf.getBackend(), 'wasm', 'the active backend is unchanged');
  });

  it("'auto' falls back to wasm and says why", async () => {
    const info = await initBackend('auto');
    if (info.name === 'tensorflow' || info.name === 'webgpu') return; // a machine with tfjs-node or a GPU
    assert.equal(info.name, 'wasm');
    assert.match(info.detail, /not used: .*tfjs-node/);
  });

  it("'cpu' works, and switching back to wasm works", async () => {
    assert.equal((await initBackend('cpu')).name, 'cpu');
    assert.equal(tf.getBackend(), 'cpu');
    assert.equal((await initBackend('wasm')).name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
  });

  it('rejects an unknown name', async () => {
    await assert.rejects(initBackend('gpu' as never), /unknown backend 'gpu'/);
  });
});
