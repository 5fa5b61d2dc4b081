import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/core/errors.js';
import { RewardExpression } from '../../src/engine/reward.js';

const METRICS = ['val_acc', 'test_acc', 'params'];
const m = { val_acc: 70, test_acc: 69, params: 1e6 };
const value = (expr: string) => new RewardExpression(expr, METRICS).compute(m);
const refused = (expr: string, re: RegExp) =>
  assert.throws(() => new RewardExpression(expr, METRICS), (e: unknown) => e instanceof ConfigError && re.test(e.message), expr);

describe('reward expressions', () => {
  it('computes multi-objective rewards from metrics', () => {
    const r = new RewardExpression('val_acc - 0.5 * log10(params)', ['val_acc', 'params']);
    assert.equal(r.compute({ val_acc: 70, params: 1e6 }), 67);
    assert.equal(new RewardExpression('max(val_acc, 50) / 100', ['val_acc']).compute({ val_acc: 40 }), 0.5);
  });

  it("follows mathjs's syntax and precedence", () => {
    const cases: [string, number][] = [
      ['-2^2', -4], ['2^3^2', 512], ['2^-1', 0.5], ['7 mod 3', 1], ['mod(-7, 3)', 2], ['-7 % 3', 2], ['log(8, 2)', 3],
      ['round(2.5) + round(-2.5)', 0], ['val_acc > 50 ? 1 : 0', 1], ['(val_acc > 50) * 10', 10], ['1 < 2 and 2 < 3 ? 5 : 6', 5],
      ['(0.1 + 0.2 == 0.3) * 1', 1], ['pi * 0 + e - e', 0], ['min(3, val_acc, 5) + max(1)', 4], ['val_acc - test_acc', 1],
    ];
    for (const [expr, expected] of cases) assert.equal(value(expr), expected, expr);
  });

  it('rejects unknown names, unknown functions and bad syntax at config time, naming the problem', () => {
    assert.throws(() => new RewardExpression('val_ac * 2', ['val_acc']), (e: unknown) => e instanceof ConfigError && /unknown name 'val_ac'.*metrics: val_acc/.test(e.message));
    refused('val_acc +', /unexpected end of expression at position 10/);
    refused('nosuchfn(val_acc)', /unknown function 'nosuchfn'/);
    refused('(val_acc', /expected '\)'/);
    refused('sqrt', /'sqrt' is a function/);
    refused('min()', /min\(\) takes 1 to 64 arguments, got 0/);
    refused('', /expected a non-empty expression/);
  });

  it('accepts only arithmetic: nothing that builds structures, calls mathjs internals or changes its config', () => {
    for (const expr of ['sum(range(1,1e9)) + val_acc', 'ones(1e5,1e5)', 'zeros(1e9)', 'identity(1e5)', 'random([1e9])', 'pow(fraction(3,7),1e7)', 'inv(ones(1500,1500))', 'det(identity(3))', 'resolve(val_acc)', 'reviver()', 'import({})', 'createUnit("x")', 'evaluate("1+1")', 'parse("1")', 'simplify("x")']) {
      refused(expr, /unknown function|unexpected character/);
    }
    refused('config({precision:1e9})', /unexpected character '\{'/);
    refused('f(x) = x', /unknown function 'f'|unexpected/);
    refused('a = 1', /unexpected '='|unexpected character '='/);
    refused('val_acc!', /unexpected character '!'/);
    refused("val_acc'", /unexpected character/);
  });

  it('parses with jsep, keeping out what JavaScript has and mathjs has not', () => {
    const cases: [string, number][] = [
      ['-(2)^2', -4], ['(-2)^2', 4], ['(not 0^2) * 1', 1], ['2mod 3', 2], ['(1 < 2 < 3) * 1', 1], ['((3 > 2) > 1) * 1', 0], ['(3 > 2 > 1) * 1', 1],
      ['val_acc ?.5 : 1', 0.5], ['1 ? 2 : 0 ? 3 : 4', 2], ['0 ? 1 ? 2 : 3 : 4', 4], ['max (1, 2)', 2], ['(1 or 0 and 0) * 1', 1],
    ];
    for (const [expr, expected] of cases) assert.equal(value(expr), expected, expr);
    for (const [expr, re] of [
      ['val_acc.x', /unexpected character '\.' at position 8/], ['val_acc?.x', /unexpected/], ['max(1 2)', /expected '\)' at position 7, found '2'/],
      ['val_acc test_acc', /unexpected 'test_acc' at position 9/], [',val_acc', /unexpected ',' at position 1/], ['val_acc,', /unexpected ',' at position 8/],
      ['(sqrt)(4)', /'sqrt' is a function|unexpected '\('/], ['max(1)(2)', /unexpected '\(' at position 7/], ['this', /unknown name 'this'/],
      ['val_acc && 1', /unexpected character '&'/], ['val_acc ** 2', /unexpected '\*' at position 10/], ['!val_acc', /unexpected character '!' at position 1/],
      ['val_acc mod', /unexpected end of expression/], ['val_acc ? 1', /expected ':'/], ['('.repeat(990) + 'val_acc', /nested more than 40 levels/],
    ] as [string, RegExp][]) refused(expr, re);
  });

  it('refuses rewards of the wrong type before any trial runs', () => {
    refused('val_acc > 50', /must be a number, and this is true or false/);
    refused('not val_acc', /must be a number/);
    refused('[val_acc]', /unexpected character '\['/);
    refused('"abc"', /unexpected character '"'/);
    refused('val_acc; test_acc', /unexpected character ';'/);
    refused('val_acc/0', /not a finite number for any probe.*Infinity/);
    refused('sqrt(-val_acc)', /not a finite number for any probe.*NaN/);
    refused('1e400 * val_acc', /not a finite number/);
    // Finite for some metric values: accepted (a trial whose metrics make it non-finite fails alone).
    assert.equal(value('log(val_acc - 1)'), Math.log(69));
  });

  it('bounds the size and nesting of an expression, so none can exhaust the stack', () => {
    refused('1' + '+1'.repeat(2000), /4001 characters long; at most 1000/);
    refused('('.repeat(300) + 'val_acc' + ')'.repeat(300), /nested more than 40 levels/);
    refused('-'.repeat(500) + 'val_acc', /nested more than 40 levels/);
    refused('val_acc' + '+1'.repeat(60), /nested more than 40 levels/);
    refused('2' + '^2'.repeat(60), /nested more than 40 levels/);
    assert.equal(value('val_acc' + '+1'.repeat(30)), 100);
  });

  it('fails on non-finite rewards at run time', () => {
    assert.throws(() => new RewardExpression('a / b', ['a', 'b']).compute({ a: 1, b: 0 }), /not a finite number/);
  });
});
