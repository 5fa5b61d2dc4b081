import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../src/core/json.js';
import { Rng } from '../../src/core/rng.js';
import { evolutionFactory } from '../../strategies/evolution.js';
import { hybridFactory } from '../../strategies/hybrid.js';
import { randomFactory } from '../../strategies/random.js';
import { gridSpace } from './helpers.js';

const ctx = () => ({ space: gridSpace(3, 4), rng: Rng.fromSeed(1), seed: 1 });

describe('strategies: corrupt checkpoints and proposal infos', () => {
  it('a corrupt checkpoint fails naming the strategy and the field', async () => {
    const evolution = await evolutionFactory.create(ctx(), {});
    const good = evolution.state() as Record<string, JsonValue>;
    assert.throws(() => evolution.restore({ ...good, proposed: -1 }), /checkpoint of strategy evolution: field proposed: expected an integer >= 0/);
    assert.throws(() => evolution.restore({ ...good, population: [{ choices: [0, 'x'], reward: 1 }] }), /checkpoint of strategy evolution: field population\[0\]: field choices: expected an array of integers/);
    assert.throws(() => evolution.restore({ ...good, rng: { c: 1 } }), /checkpoint of strategy evolution: field rng: field s0: expected a number/);
    const random = await randomFactory.create(ctx(), {});
    assert.throws(() => random.restore(null), /checkpoint of strategy random: expected an object, got null/);
    const hybrid = await hybridFactory.create(ctx(), {});
    assert.throws(() => hybrid.restore({ ...(hybrid.state() as Record<string, JsonValue>), seen: [1] }), /checkpoint of strategy hybrid: field seen: expected an array of strings/);
  });

  it('a corrupt proposal info fails naming the strategy and the field', async () => {
    const hybrid = await hybridFactory.create(ctx(), {});
    assert.throws(() => hybrid.tell({ trial: 0, choices: [0, 0, 0], reward: 1, status: 'complete', info: { parent: [0, 0, 0], parentReward: 1, slot: 'two' } }), /proposal info of strategy hybrid: field slot: expected an integer >= 0/);
  });
});
