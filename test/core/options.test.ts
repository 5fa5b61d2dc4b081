import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/core/errors.js';
import { checkDeclaredOptions, resolveOptions, type OptionSpecs } from '../../src/core/options.js';
import { parseRunConfig } from '../../src/engine/config.js';

const specs = {
  population: { type: 'integer', default: 100, min: 1, help: '' },
  lr: { type: 'number', default: 0.1, help: '' },
  mode: { type: 'string', default: 'a', choices: ['a', 'b'], help: '' },
  flag: { type: 'boolean', default: false, help: '' },
} as const satisfies OptionSpecs;

describe('options', () => {
  it('fills defaults and coerces strings from the command line', () => {
    assert.deepEqual(resolveOptions('s', specs, { population: '20', flag: 'true' }), { population: 20, lr: 0.1, mode: 'a', flag: true });
  });

  it('rejects unknown keys and bad values, naming them', () => {
    assert.throws(() => resolveOptions('evolution', specs, { popul: 3 }), (e: unknown) => e instanceof ConfigError && /evolution\.popul: unknown option; known: population, lr, mode, flag/.test(e.message));
    assert.throws(() => resolveOptions('s', specs, { population: 0 }), /s\.population: must be >= 1/);
    assert.throws(() => resolveOptions('s', specs, { population: 1.5 }), /expected an integer/);
    assert.throws(() => resolveOptions('s', specs, { mode: 'c' }), /must be one of a, b/);
    assert.throws(() => resolveOptions('s', specs, { lr: 'fast' }), /expected a number/);
  });

  it('validates run configs, naming the bad field', () => {
    const ok = parseRunConfig({ space: 'nasbench201', strategy: 'random', evaluator: 'nasbench201', budget: { evaluations: 10 } });
    assert.equal(ok.concurrency, 1);
    assert.throws(() => parseRunConfig({ space: 'x', strategy: 'y', evaluator: 'z', budget: {} }), /budget: give budget.evaluations/);
    assert.throws(() => parseRunConfig({ space: 'x', strategy: 'y', evaluator: 'z', budget: { evaluations: -1 } }), /budget\.evaluations: expected a positive integer/);
    assert.throws(() => parseRunConfig({ space: 'x', strategy: 'y', evaluator: 'z', budget: { evaluations: 1 }, sed: 1 }), /sed: unknown field/);
    assert.throws(() => parseRunConfig({ space: 'x', strategy: 3, evaluator: 'z', budget: { evaluations: 1 } }), /strategy: expected a name/);
  });
});

describe('checkDeclaredOptions', () => {
  const specs = { steps: { type: 'integer', default: 10, min: 1, help: 'steps' } } as const satisfies OptionSpecs;
  it('passes options the component does not declare (a dataset\'s) and checks the declared ones', () => {
    assert.doesNotThrow(() => checkDeclaredOptions('evaluator.options', specs, { steps: '5', path: '/data/coco', 'data.valImages': '64' }));
    assert.throws(() => checkDeclaredOptions('evaluator.options', specs, { steps: '0', path: '/data/coco' }), (e: unknown) => e instanceof ConfigError && /evaluator\.options\.steps/.test(e.message));
  });
});
