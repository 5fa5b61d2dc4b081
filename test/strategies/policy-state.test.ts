import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { registerBuiltins } from '../../src/wiring/builtins.js';
import { ensureBackend } from '../../src/controller/backend.js';
import type { EvaluatorFactory } from '../../src/core/evaluator.js';
import type { JsonValue } from '../../src/core/json.js';
import { Rng } from '../../src/core/rng.js';
import type { Feedback, Proposal, Strategy, StrategyFactory } from '../../src/core/strategy.js';
import { parseRunConfig } from '../../src/engine/config.js';
import { Registries } from '../../src/core/registry.js';
import { runSearch } from '../../src/wiring/run-search.js';
import type { Nb201Genotype } from '../../src/spaces/nasbench201/space.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { hybridFactory } from '../../strategies/hybrid.js';
import { ppoFactory } from '../../strategies/ppo.js';
import { reinforceFactory } from '../../strategies/reinforce.js';
import { maskedSpace } from './helpers.js';

const space = maskedSpace(3);
const reward = (choices: readonly number[]): number => choices.reduce((a, c, i) => a + ((c * 7 + i) % 5), 0) / 10;

/**
 * One round of an asynchronous driver: ask 3, then tell them out of order; every 4th feedback is a
 * failure (reward null) and every 5th a 'cached' one. Returns the proposals.
 */
async function round(s: Strategy, round: number, told: Proposal[] | null = null): Promise<Proposal[]> {
  const proposals = told ?? (await s.ask(3));
  for (const k of [2, 0, 1]) {
    const p = proposals[k] as Proposal;
    const n = round * 3 + k;
    const fb: Feedback = {
      trial: n,
      choices: p.choices,
      reward: n % 4 === 3 ? null : reward(p.choices),
      status: n % 4 === 3 ? 'failed' : n % 5 === 4 ? 'cached' : 'complete',
      ...(p.info !== undefined ? { info: p.info } : {}),
    };
    await s.tell(fb);
  }
  return proposals;
}

const cases: [StrategyFactory, Record<string, JsonValue>][] = [
  [reinforceFactory, { batch: 4, units: 8, learningRate: 0.05 }],
  [ppoFactory, { batch: 4, units: 8, learningRate: 0.05, epochs: 2 }],
  [hybridFactory, { policy: 'controller', signal: 'improvement', batch: 4, units: 8, learningRate: 0.05, population: 6, sample: 3 }],
  [hybridFactory, { policy: 'bandit', population: 6, sample: 3 }],
];

describe('controller strategies: state and resume', () => {
  before(async () => {
    await ensureBackend();
  });

  for (const [factory, options] of cases) {
    const label = factory.name + (options.policy ? ` (${String(options.policy)})` : '');
    it(`${label}: state() -> JSON -> restore() continues the identical proposal sequence`, async () => {
      const ROUNDS = 16;
      const HALF = 8;
      const make = (): Promise<Strategy> | Strategy => factory.create({ space, rng: Rng.fromSeed(5), seed: 5 }, options);
      const whole = await make();
      const expected: Proposal[] = [];
      for (let r = 0; r < ROUNDS; r++) expected.push(...(await round(whole, r)));

      const first = await make();
      const got: Proposal[] = [];
      for (let r = 0; r < HALF; r++) got.push(...(await round(first, r)));
      // Snapshot with 3 asks outstanding, as the engine checkpoints with trials in flight.
      const outstanding = await first.ask(3);
      got.push(...outstanding);
      const snapshot = JSON.stringify(first.state());
      const before = JSON.stringify(first.state());
      assert.equal(snapshot, before, 'state() has no side effects');
      first.dispose?.();

      const resumed = await make();
      resumed.restore(JSON.parse(snapshot) as JsonValue);
      await round(resumed, HALF, outstanding);
      for (let r = HALF + 1; r < ROUNDS; r++) got.push(...(await round(resumed, r)));
      assert.deepEqual(got, expected);
      assert.deepEqual(resumed.state(), whole.state(), 'same weights, Adam moments, baseline, pending batch and RNG at the end');
      assert.notDeepEqual(JSON.parse(snapshot), JSON.parse(JSON.stringify(resumed.state())), 'the resumed strategy moved on');
    });
  }

  it('state() is a fresh copy: mutating it does not affect the strategy', async () => {
    const s = await reinforceFactory.create({ space, rng: Rng.fromSeed(1), seed: 1 }, { batch: 4, units: 8 });
    await round(s, 0);
    const a = s.state() as { pending: { choices: number[] }[] };
    (a.pending[0] as { choices: number[] }).choices[0] = 99;
    assert.notEqual((s.state() as typeof a).pending[0]?.choices[0], 99);
  });
});

/** Test evaluator on NAS-Bench-201 cells: a deterministic score of the ops, no table needed. */
const toyEvaluator: EvaluatorFactory = {
  name: 'toy-nb201',
  description: 'deterministic synthetic score of a NAS-Bench-201 cell',
  spaces: ['nasbench201'],
  options: {},
  create: () => ({
    metrics: ['acc'],
    primaryMetric: 'acc',
    evaluate: (req) => {
      const ops = (req.genotype as Nb201Genotype).edges;
      const score = ops.reduce((a, op, i) => a + (op === 'nor_conv_3x3' ? 10 : op === 'none' ? -5 : (i * 3) % 4), 50);
      return Promise.resolve({ acc: score + (req.key.length % 7) / 10 });
    },
  }),
};

describe('controller strategies through the engine', () => {
  let dir = '';
  before(async () => {
    await ensureBackend();
    dir = mkdtempSync(join(tmpdir(), 'tsnas-reinforce-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const registries = registerBuiltins(new Registries());
  registries.evaluators.add(toyEvaluator);
  const config = (evaluations: number, strategy: { name: string; options: Record<string, JsonValue> }) =>
    parseRunConfig({
      space: 'nasbench201',
      strategy,
      evaluator: 'toy-nb201',
      seed: 42,
      budget: { evaluations },
      checkpointEvery: 7,
    });
  const summary = (trials: { number: number; key: string; reward: number | null; status: string }[]) =>
    trials.map((t) => ({ number: t.number, key: t.key, reward: t.reward, status: t.status }));

  const strategies: { name: string; options: Record<string, JsonValue> }[] = [
    { name: 'reinforce', options: { batch: 10, learningRate: 0.01 } },
    { name: 'hybrid', options: { population: 10, sample: 3 } },
  ];
  for (const strategy of strategies) {
    it(`${strategy.name}: a search stopped halfway and resumed on its SQLite store equals an uninterrupted one`, async () => {
      const memory = new MemoryStore();
      const whole = await runSearch(config(60, strategy), { name: 'whole', store: memory, registries });

      const path = join(dir, `${strategy.name}.sqlite`);
      const s1 = new SqliteStore(path);
      const half = await runSearch(config(25, strategy), { name: 'resumed', store: s1, registries });
      s1.close();
      assert.equal(half.evaluations, 25);
      const s2 = new SqliteStore(path); // a new process would open the file again
      const resumed = await runSearch(config(60, strategy), { name: 'resumed', store: s2, registries });
      const finalState = s2.checkpoint()?.strategy;
      s2.close();

      assert.equal(resumed.evaluations, 60);
      assert.deepEqual(summary(resumed.trials), summary(whole.trials));
      assert.deepEqual(resumed.best?.key, whole.best?.key);
      // Not only the same trials: the same policy (weights, Adam moments), baseline, population and RNG at the end.
      assert.deepEqual(finalState, memory.checkpoint()?.strategy);
      // The strategy moved on from its warm-up: many distinct architectures.
      assert.ok(new Set(whole.trials.map((t) => t.key)).size > 30);
    });
  }
});
