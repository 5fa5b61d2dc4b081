import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/core/errors.js';
import type { Evaluator } from '../../src/core/evaluator.js';
import { NasBench201Space } from '../../src/spaces/nasbench201/space.js';
import { nb201EvaluatorFactory, rewardNoise } from '../../src/evaluators/tabular/nb201-evaluator.js';
import { writeSyntheticTable } from '../helpers/nb201-fixture.js';

const ARCH = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|';
const dir = writeSyntheticTable();
const make = (options: Record<string, unknown>): Evaluator => nb201EvaluatorFactory.create({ path: dir, ...options }, new NasBench201Space()) as Evaluator;
const at = (ev: Evaluator, seed: number) => ev.evaluate({ trial: 0, genotype: null, key: ARCH, seed });

describe('NAS-Bench-201 reward noise', () => {
  it('adds Gaussian noise of the given std to val_acc only, the same for the same request', async () => {
    const clean = await at(make({}), 3);
    const noisy = make({ noise: 0.5 });
    const a = await at(noisy, 3);
    assert.deepEqual(await at(noisy, 3), a, 'reproducible');
    assert.notEqual(a.val_acc, clean.val_acc);
    assert.equal(a.test_acc, clean.test_acc);
    assert.equal(a.train_acc, clean.train_acc);
    const draws = await Promise.all(Array.from({ length: 4000 }, async (_, seed) => ((await at(noisy, seed)).val_acc as number) - (clean.val_acc as number)));
    const mean = draws.reduce((x, y) => x + y, 0) / draws.length;
    const std = Math.sqrt(draws.reduce((x, y) => x + (y - mean) ** 2, 0) / (draws.length - 1));
    assert.ok(Math.abs(mean) < 0.03 && Math.abs(std - 0.5) < 0.02, `mean ${mean}, std ${std}`);
  });

  it('draws independently for different seeds and architectures', () => {
    assert.notEqual(rewardNoise(1, ARCH), rewardNoise(2, ARCH));
    assert.notEqual(rewardNoise(1, ARCH), rewardNoise(1, ARCH.replace('nor_conv_3x3~0|+', 'none~0|+')));
  });

  it('is off by default and rejects a negative or non-numeric std by name', async () => {
    assert.equal((await at(make({}), 3)).val_acc, (await at(make({ noise: 0 }), 3)).val_acc);
    assert.throws(() => make({ noise: -1 }), (e: unknown) => e instanceof ConfigError && /evaluator\.noise: must be >= 0/.test(e.message));
    assert.throws(() => make({ noise: 'lots' }), /evaluator\.noise: expected a number/);
  });
});
