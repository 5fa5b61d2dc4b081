import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/core/errors.js';
import { RewardExpression } from '../../src/evaluators/reward.js';

describe('reward expressions', () => {
  it('computes multi-objective rewards from metrics', () => {
    const r = new RewardExpression('val_acc - 0.5 * log10(params)', ['val_acc', 'params']);
    assert.equal(r.compute({ val_acc: 70, params: 1e6 }), 67);
    assert.equal(new RewardExpression('max(val_acc, 50) / 100', ['val_acc']).compute({ val_acc: 40 }), 0.5);
  });

  it('rejects unknown names and bad syntax at config time', () => {
    assert.throws(() => new RewardExpression('val_ac * 2', ['val_acc']), (e: unknown) => e instanceof ConfigError && /unknown name 'val_ac'.*metrics: val_acc/.test(e.message));
    assert.throws(() => new RewardExpression('val_acc +', ['val_acc']), /cannot parse/);
  });

  it('refuses functions that reach outside the expression', () => {
    const r = new RewardExpression('evaluate("1+1")', ['x']);
    assert.throws(() => r.compute({ x: 1 }), /disabled/);
  });

  it('fails on non-finite rewards', () => {
    assert.throws(() => new RewardExpression('a / b', ['a', 'b']).compute({ a: 1, b: 0 }), /not a finite number/);
  });
});
