import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mutateChoices } from '../../src/core/choices.js';
import { isTsnasError } from '../../src/core/errors.js';
import type { EvaluationRequest } from '../../src/core/evaluator.js';
import { Registries } from '../../src/core/registry.js';
import { Rng } from '../../src/core/rng.js';
import { parseRunConfig } from '../../src/engine/config.js';
import { categoricalSpace, categoricalSpaceFactory, type CategoricalGenotype } from '../../src/spaces/categorical/space.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { registerBuiltins } from '../../src/wiring/builtins.js';
import { runSearch } from '../../src/wiring/run-search.js';

const DECISIONS = { depth: [1, 2, 3, 4], act: ['relu', 'tanh', 'elu'], lr: [0.1, 0.01, 0.001], bn: [true, false] } as const;
const space = categoricalSpace({ name: 'hp', decisions: DECISIONS });
type G = CategoricalGenotype<typeof DECISIONS>;

/** Asserts `f` throws a tsnas error whose message names `field` and matches `detail`. */
function rejects(f: () => unknown, field: string, detail: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(isTsnasError(e), `a tsnas error, got ${String(e)}`);
    assert.ok(e.message.includes(field), `'${e.message}' names ${field}`);
    assert.match(e.message, detail);
    return true;
  });
}

describe('categorical space', () => {
  it('is the decision contract over the record: one decision per key, in key order, its values as labels', () => {
    assert.equal(space.id, 'hp');
    assert.equal(space.length, 4);
    assert.equal(space.maxCandidates, 4);
    assert.deepEqual([0, 1, 2, 3].map((i) => space.decision(Array(i).fill(0)).name), ['depth', 'act', 'lr', 'bn']);
    assert.deepEqual(space.decision([0]).labels, ['relu', 'tanh', 'elu']);
    assert.deepEqual(space.decision([0, 0, 0]).labels, ['true', 'false']);
  });

  it('round-trips every genotype through choices, the canonical string and JSON', () => {
    const keys = new Set<string>();
    let all: number[][] = [[]];
    for (let i = 0; i < space.length; i++) all = all.flatMap((prefix) => space.decision(prefix).labels.map((_, k) => [...prefix, k]));
    for (const choices of all) {
      const g = space.decode(choices);
      assert.deepEqual(space.encode(g), choices);
      const key = space.canonical(g);
      keys.add(key);
      assert.deepEqual(space.parse(key), g);
      assert.deepEqual(space.validate(JSON.parse(JSON.stringify(g))), g, 'a stored (JSON) genotype validates back to itself');
      assert.deepEqual(space.validate(key), g, 'the canonical string is accepted where a genotype is');
    }
    assert.equal(keys.size, 4 * 3 * 3 * 2, 'every point has its own key');
    const g: G = { depth: 2, act: 'tanh', lr: 0.01, bn: false };
    assert.equal(space.canonical(g), 'depth=2,act=tanh,lr=0.01,bn=false');
    assert.deepEqual(space.parse('{"bn": false, "lr": 0.01, "act": "tanh", "depth": 2}'), g, 'JSON text in any key order');
    assert.deepEqual(Object.keys(space.validate({ bn: false, lr: 0.01, act: 'tanh', depth: 2 })), ['depth', 'act', 'lr', 'bn'], 'validated records come in decision order');
  });

  it('rejects bad genotypes with a message naming the field and the value', () => {
    rejects(() => space.validate({ depth: 5, act: 'relu', lr: 0.1, bn: true }), 'depth', /5 is not one of 1, 2, 3, 4/);
    rejects(() => space.validate({ depth: 1, act: 'gelu', lr: 0.1, bn: true }), 'act', /"gelu" is not one of "relu", "tanh", "elu"/);
    rejects(() => space.validate({ depth: '1', act: 'relu', lr: 0.1, bn: true }), 'depth', /"1" is not one of/);
    rejects(() => space.validate({ depth: 1, act: 'relu', bn: true }), 'lr', /missing/);
    rejects(() => space.validate({ depth: 1, act: 'relu', lr: 0.1, bn: true, width: 8 }), 'width', /not a decision of space 'hp'/);
    rejects(() => space.validate([1, 'relu']), 'genotype', /an array/);
    rejects(() => space.parse('depth=1,act=relu,lr=0.5,bn=true'), 'lr', /"0.5" is not one of 0.1, 0.01, 0.001/);
    rejects(() => space.parse('depth1,act=relu'), 'genotype', /key=value pairs/);
    rejects(() => space.parse('{"depth": 1,'), 'genotype', /not valid JSON/);
    rejects(() => space.decode([0, 3, 0, 0]), 'act', /choice 3 is not one of the valid candidates/);
  });

  it('rejects a malformed definition when it is built, naming the decision', () => {
    rejects(() => categoricalSpace({ name: 's', decisions: {} }), "space 's'", /at least one decision/);
    rejects(() => categoricalSpace({ name: 's', decisions: { width: [] } }), "space 's' decisions.width", /non-empty array/);
    rejects(() => categoricalSpace({ name: 's', decisions: { width: [1, '1'] } }), "space 's' decisions.width", /'1' is listed twice/);
    rejects(() => categoricalSpace({ name: 's', decisions: { width: [1, Number.NaN] } }), "space 's' decisions.width", /finite numbers/);
    rejects(() => categoricalSpace({ name: 's', decisions: { 'a=b': [1] } }), "decisions.a=b", /without ','/);
    rejects(() => categoricalSpace({ name: 's', decisions: { op: ['sum,max'] } }), "decisions.op", /may not contain/);
  });

  it('mutates one decision to another value, as choices.ts does for every space', () => {
    const rng = Rng.fromSeed(4);
    const parent: G = { depth: 1, act: 'relu', lr: 0.1, bn: true };
    for (let k = 0; k < 50; k++) {
      const child = space.mutate(parent, rng) as Record<string, unknown>;
      const changed = Object.keys(parent).filter((name) => child[name] !== (parent as Record<string, unknown>)[name]);
      assert.equal(changed.length, 1, `one decision changes: ${JSON.stringify(child)}`);
      assert.deepEqual(space.validate(child), child);
    }
    assert.equal(mutateChoices(categoricalSpace({ name: 'one', decisions: { only: ['x'] } }), [0], rng).position, -1, 'a single-point space has nothing to mutate');
  });

  it('lets evolution climb a known objective far above where random search stays', async () => {
    // 8 decisions of 5 values (390,625 points); the score counts the decisions equal to a target.
    const target = 'cadebbca';
    const decisions = Object.fromEntries([...target].map((_, i) => [`d${i}`, ['a', 'b', 'c', 'd', 'e']]));
    const registries = registerBuiltins(new Registries());
    registries.spaces.add(categoricalSpaceFactory({ name: 'match', description: 'test', decisions }));
    registries.evaluators.add({
      name: 'match', description: 'test', options: {},
      create: () => ({
        metrics: ['score'], primaryMetric: 'score',
        evaluate: async ({ genotype }: EvaluationRequest<Record<string, string>>) => ({ score: [...target].filter((t, i) => genotype[`d${i}`] === t).length }),
      }),
    });
    const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const search = async (strategy: object, seed: number) => {
      const config = parseRunConfig({ space: 'match', evaluator: 'match', strategy, seed, budget: { evaluations: 120 } });
      const r = await runSearch(config, { name: 'm', store: new MemoryStore(), registries });
      return r.trials.filter((t) => t.reward !== null).map((t) => t.reward as number);
    };
    const best = { evolution: [] as number[], random: [] as number[] };
    for (const seed of [0, 1, 2]) {
      const evolved = await search({ name: 'evolution', options: { population: 20, sample: 5 } }, seed);
      assert.ok(mean(evolved.slice(-20)) > mean(evolved.slice(0, 20)) + 2, `seed ${seed}: the last 20 children (${mean(evolved.slice(-20))}) beat the random first 20 (${mean(evolved.slice(0, 20))})`);
      best.evolution.push(Math.max(...evolved));
      best.random.push(Math.max(...(await search({ name: 'random', options: {} }, seed))));
    }
    assert.ok(mean(best.evolution) > mean(best.random) + 1, `best found: evolution ${best.evolution}, random ${best.random}`);
  });
});
