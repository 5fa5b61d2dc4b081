import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { intFlag, labelledPairs, numFlag, parseKeyStrings, parseKeyValues } from '../../src/cli/kv.js';
import { normalizeFlagOptions, type OptionSpecs } from '../../src/core/options.js';

describe('flag parsing', () => {
  it('keeps key=value text for the option specs to coerce, and reads JSON literals only for callers without specs', () => {
    assert.deepEqual(parseKeyStrings('--x', ['path=2024', 'n=007', 'b=true']), { path: '2024', n: '007', b: 'true' });
    assert.deepEqual(parseKeyValues('--x', ['a=5', 'b=1e-3', 'c=true', 'd=007', 'e=cifar10', 'f=null']), { a: 5, b: 0.001, c: true, d: '007', e: 'cifar10', f: null });
    const specs: OptionSpecs = { path: { type: 'optional-string', help: '' }, n: { type: 'integer', default: 1, min: 1, help: '' }, on: { type: 'boolean', default: false, help: '' } };
    assert.deepEqual(normalizeFlagOptions('c', specs, { path: '2024', n: '20', on: 'true', other: '3' }), { path: '2024', n: 20, on: true, other: 3 });
    assert.throws(() => normalizeFlagOptions('c', specs, { n: '0x10' }), /c\.n: expected a number, got "0x10"/);
    assert.throws(() => normalizeFlagOptions('c', specs, { n: '' }), /c\.n: expected a number, got ""/);
  });

  it('groups label.key=value flags by label in the order given, and refuses a label not listed', () => {
    const groups = labelledPairs('--strategy-opt', ['rea.population=8', 'ppo.batch=4', 'rea.sample=2'], ['rea', 'ppo', 'random']);
    assert.deepEqual([...groups], [['rea', ['population=8', 'sample=2']], ['ppo', ['batch=4']]]);
    for (const bad of ['hybrid.population=8', 'population=8', '.population=8']) {
      const message = `invalid config: --strategy-opt: expected <label>.<key>=<value> with a label of --strategies (rea, ppo), got '${bad}'`;
      assert.throws(() => labelledPairs('--strategy-opt', [bad], ['rea', 'ppo']), (e: Error) => e.message === message, bad);
    }
  });

  it('reads integer and number flags in plain decimal only, within the safe integers', () => {
    assert.equal(intFlag('--n', '42'), 42);
    for (const bad of ['0x3', '', ' 3', '1e3', '-1', '1.5', '9007199254740993']) assert.throws(() => intFlag('--n', bad), /--n: /, bad);
    assert.equal(numFlag('--s', '1.5e2'), 150);
    for (const bad of ['0', '0x10', '', 'Infinity', '-2']) assert.throws(() => numFlag('--s', bad), /--s: expected a positive number/, bad);
  });
});
