/**
 * Cost of the RNN controller per sampled architecture and per update, on the NAS-Bench-201 space
 * (6 decisions x 5) and on the default NAS-FPN space (7 cells x 4 decisions = 28, input candidates growing
 * from 5 to 11), on the cpu and wasm tfjs backends. Medians over repeats, in milliseconds.
 *
 *   node dist/benchmarks/controller-cost.js [--out FILE.json]
 *
 * Columns: sample = one architecture drawn (JS forward pass); step = one Adam step on a batch of 20
 * (tf autodiff + Adam), for whole sequences (REINFORCE/PPO) and for the hybrid's joint mutation
 * softmax; step@1 = a step on a single architecture (per-op overhead); reinforce/ppo = measured
 * ask+tell cost per architecture of the strategies at their defaults (batch 20; PPO 4 epochs).
 */
import * as tf from '@tensorflow/tfjs-core';
import { Controller } from '../src/controller/controller.js';
import { reinforceLoss } from '../src/controller/losses.js';
import { Rng } from '../src/core/rng.js';
import type { DecisionSpace } from '../src/core/space.js';
import type { StrategyFactory } from '../src/core/strategy.js';
import { NasBench201Space } from '../src/spaces/nasbench201/space.js';
import { NasFpnSpace } from '../src/spaces/nasfpn/space.js';
import { median } from '../src/stats/summary.js';
import { initBackend } from '../src/tensor/backend.js';
import { mutationBatch, mutationSlots } from '../src/controller/mutation-batch.js';
import { ppoFactory } from '../strategies/ppo.js';
import { reinforceFactory } from '../strategies/reinforce.js';
import { benchmarkCommand, parseBenchmark, writeResult } from './lib/command.js';

function timeIt(repeats: number, warmup: number, f: () => void): number {
  for (let i = 0; i < warmup; i++) f();
  const ts: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

/** Median per-architecture cost of a strategy's ask + tell over `rounds` batches of 20. */
async function strategyCost(factory: StrategyFactory, space: DecisionSpace, rounds: number): Promise<number> {
  const s = await factory.create({ space, rng: Rng.fromSeed(1), seed: 1 }, {});
  const perRound: number[] = [];
  let trial = 0;
  for (let r = 0; r < rounds + 1; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) {
      const [p] = await s.ask(1);
      const choices = (p as { choices: number[] }).choices;
      await s.tell({ trial: trial++, choices, reward: choices.reduce((a, c) => a + c, 0), status: 'complete', info: p?.info ?? null });
    }
    if (r > 0) perRound.push((performance.now() - t0) / 20); // the first round warms up
  }
  s.dispose?.();
  return median(perRound);
}

interface Row {
  backend: string;
  space: string;
  decisions: number;
  candidates: number;
  units: number;
  parameters: number;
  sampleMs: number;
  stepMs: number;
  hybridStepMs: number;
  stepSingleMs: number;
  reinforcePerArchMs: number;
  ppoPerArchMs: number;
}

async function main(): Promise<void> {
  const { out } = parseBenchmark<{ out?: string }>(
    benchmarkCommand('controller-cost', "the RNN controller's cost per sampled architecture and per update, on NAS-Bench-201 and NAS-FPN, cpu and wasm").option('--out <file>', 'write the rows as JSON here'),
  );
  const spaces: [string, DecisionSpace][] = [
    ['nasbench201', new NasBench201Space()],
    ['nasfpn-7x4', new NasFpnSpace()],
  ];
  const rows: Row[] = [];
  for (const backend of ['cpu', 'wasm'] as const) {
    await initBackend(backend);
    for (const [name, space] of spaces) {
      const rng = Rng.fromSeed(1);
      const ctl = new Controller(space, { units: 100, learningRate: 0.00035, temperature: 1, tanhConstant: 0 }, rng);
      const sampleMs = timeIt(200, 20, () => ctl.sample(rng));
      const parents = Array.from({ length: 20 }, () => ctl.sample(rng).choices);
      const adv = parents.map(() => rng.next() - 0.5);
      const seqBatch = ctl.sequenceBatch(parents);
      const single = ctl.sequenceBatch(parents.slice(0, 1));
      const mutBatch = mutationBatch(space, parents.map((p) => ({ parent: p, slot: rng.pick(mutationSlots(space, p).flatMap((ok, i) => (ok ? [i] : []))) })));
      const slow = backend === 'cpu' && space.length > 10;
      const stepMs = timeIt(slow ? 5 : 15, 2, () => ctl.train(seqBatch, (t) => reinforceLoss(t, adv, 1e-5)));
      const hybridStepMs = timeIt(slow ? 5 : 15, 2, () => ctl.train(mutBatch, (t) => reinforceLoss(t, adv, 1e-5)));
      const stepSingleMs = timeIt(15, 2, () => ctl.train(single, (t) => reinforceLoss(t, adv.slice(0, 1), 1e-5)));
      const rounds = slow ? 2 : 5;
      const reinforcePerArchMs = await strategyCost(reinforceFactory, space, rounds);
      const ppoPerArchMs = await strategyCost(ppoFactory, space, rounds);
      const row: Row = {
        backend: tf.getBackend(),
        space: name,
        decisions: space.length,
        candidates: space.maxCandidates,
        units: 100,
        parameters: ctl.layout.size,
        sampleMs,
        stepMs,
        hybridStepMs,
        stepSingleMs,
        reinforcePerArchMs,
        ppoPerArchMs,
      };
      rows.push(row);
      console.error(`done: ${backend} ${name}`);
    }
  }
  const f = (x: number): string => x.toFixed(2).padStart(9);
  console.log('backend  space          L   K  params   sample  step@20  hyb@20   step@1  reinforce/arch  ppo/arch   (ms, medians)');
  for (const r of rows) {
    console.log(
      `${r.backend.padEnd(8)} ${r.space.padEnd(12)} ${String(r.decisions).padStart(3)} ${String(r.candidates).padStart(3)} ${String(r.parameters).padStart(7)}` +
        `${f(r.sampleMs)}${f(r.stepMs)}${f(r.hybridStepMs)}${f(r.stepSingleMs)}${f(r.reinforcePerArchMs).padStart(16)}${f(r.ppoPerArchMs).padStart(10)}`,
    );
  }
  writeResult(out, { benchmark: 'controller-cost', node: process.version, date: new Date().toISOString(), rows });
}

await main();
