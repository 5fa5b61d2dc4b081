import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDigitDetectionDataset } from '../../../src/data/index.js';
import { trainAndEvaluate, type TrainRequest } from '../../../src/evaluators/proxy/train-detector.js';
import { DivergenceError } from '../../../src/train/trainer.js';
import { STATE_FILE } from '../../../src/train/train-state.js';
import { assignTargets, decodeBox, DEFAULT_ANCHORS, encodeBox, generateAnchors } from '../../../src/tasks/detection/anchors.js';
import { Detector, detectorConfig } from '../../../src/tasks/detection/detector.js';
import { DEFAULT_NASFPN_CONFIG, NAMED_PYRAMIDS } from '../../../src/spaces/nasfpn/index.js';
import { initBackend } from '../../../src/tensor/index.js';

const data = {
  train: createDigitDetectionDataset({ split: 'train', numImages: 16, seed: 3 }),
  val: createDigitDetectionDataset({ split: 'val', numImages: 8, seed: 4 }),
  test: createDigitDetectionDataset({ split: 'test', numImages: 8, seed: 5 }),
};
const small = (cells: number) => detectorConfig({ ...DEFAULT_NASFPN_CONFIG, cells, channels: 8, repeats: 1, ops: ['sum', 'global_pool', 'weighted_sum', 'first'] }, { backboneWidths: [8, 8, 8, 8, 8] });
const run = (name: string, over: Partial<TrainRequest> & { steps: number; learningRate?: number }): TrainRequest => {
  const g = NAMED_PYRAMIDS[name]!;
  const { steps, learningRate, ...rest } = over;
  return {
    genotype: g,
    config: small(g.cells.length),
    data,
    schedule: { totalSteps: steps, batchSize: 4, learningRate: learningRate ?? 0.003, warmupSteps: 1 },
    seed: 1,
    toStep: steps,
    runKey: name,
    ...rest,
  };
};

describe('detector', () => {
  before(async () => {
    await initBackend('wasm');
  });

  it('encodes and decodes boxes exactly, and assigns every object at least one anchor', () => {
    const anchors = generateAnchors(128, 3, 7, DEFAULT_ANCHORS);
    assert.equal(anchors.length / 4, (256 + 64 + 16 + 4 + 1) * 4);
    const box = [10, 20, 42, 70] as const;
    const d = new Float32Array(4);
    encodeBox(anchors, 7, box, d, 0);
    decodeBox(anchors, 7, d, 0, 128).forEach((v, i) => assert.ok(Math.abs(v - box[i]!) < 1e-3));
    const objects = [...data.train].slice(0, 4).map((s) => s.objects);
    const t = assignTargets(anchors, objects);
    const per = anchors.length / 4;
    objects.forEach((objs, img) => {
      for (const o of objs) assert.ok(t.labels.slice(img * per, (img + 1) * per).includes(o.label), `object ${o.label} of image ${img} unassigned`);
    });
  });

  it('builds, trains and evaluates every named pyramid with finite AP and no tensor leak', async () => {
    for (const name of Object.keys(NAMED_PYRAMIDS)) {
      const before = tf.memory().numTensors;
      const metrics = await trainAndEvaluate(run(name, { steps: 3 }));
      assert.equal(tf.memory().numTensors, before, `${name} leaked tensors`);
      for (const k of ['ap', 'ap50', 'test_ap', 'loss', 'params', 'flops']) assert.ok(Number.isFinite(metrics[k]), `${name} ${k} = ${metrics[k]}`);
      assert.ok(metrics.ap! >= 0 && metrics.ap! <= 1);
    }
  });

  it('a run continued from its saved state ends exactly where a run trained straight through does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnas-state-'));
    try {
      const straight = await trainAndEvaluate(run('bifpn', { steps: 9 }));
      const first = await trainAndEvaluate(run('bifpn', { steps: 9, toStep: 4, stateDir: dir }));
      assert.equal(first.stepsRun, 4);
      const before = tf.memory().numTensors;
      const rest = await trainAndEvaluate(run('bifpn', { steps: 9, toStep: 9, stateDir: dir }));
      assert.equal(tf.memory().numTensors, before, 'restoring leaked tensors');
      assert.equal(rest.stepsRun, 5, 'the second rung trains only the steps the first did not');
      for (const k of ['ap', 'test_ap', 'loss']) assert.equal(rest[k], straight[k], `${k}: continued ${rest[k]} vs straight ${straight[k]}`);
      assert.ok(!existsSync(join(dir, STATE_FILE)), 'a run at the top fidelity keeps no state');
      await trainAndEvaluate(run('bifpn', { steps: 9, toStep: 4, stateDir: dir }));
      await assert.rejects(trainAndEvaluate(run('fpn', { steps: 9, toStep: 9, stateDir: dir })), /saved by another run/);
      await assert.rejects(trainAndEvaluate(run('bifpn', { steps: 9, toStep: 2, stateDir: dir })), /past the requested 2/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts more parameters and FLOPs for a deeper pyramid, and grows with repeats', () => {
    const size = (cells: number, repeats: number) => {
      const g = cells === 5 ? NAMED_PYRAMIDS.fpn! : NAMED_PYRAMIDS.panet!;
      const d = new Detector(g, detectorConfig({ ...DEFAULT_NASFPN_CONFIG, cells, repeats }), 0);
      const s = d.size;
      d.dispose();
      return s;
    };
    const fpn = size(5, 1);
    const panet = size(8, 1);
    assert.ok(panet.params > fpn.params && panet.neckFlops > fpn.neckFlops);
    assert.ok(Math.abs(size(5, 2).neckFlops - 2 * fpn.neckFlops) / fpn.neckFlops < 0.35);
  });

  it('learns: the loss falls on a fixed batch', () => {
    const g = NAMED_PYRAMIDS['nasfpn-paper']!;
    const det = new Detector(g, small(7), 2);
    const opt = tf.train.adam(0.01);
    const batch = data.train.batches(4).next().value!;
    const first = det.trainStep(opt, batch).loss;
    let last = first;
    for (let i = 0; i < 15; i++) last = det.trainStep(opt, batch).loss;
    det.dispose();
    opt.dispose();
    assert.ok(last < 0.7 * first, `loss ${first} -> ${last}`);
  });

  it('fails a diverging run with a reason instead of crashing', async () => {
    await assert.rejects(
      trainAndEvaluate({ ...run('fpn', { steps: 30, learningRate: 1e8 }), schedule: { totalSteps: 30, batchSize: 4, learningRate: 1e8, warmupSteps: 0 } }),
      (e: unknown) => e instanceof DivergenceError && /training diverged: loss/.test(e.message),
    );
  });
});
