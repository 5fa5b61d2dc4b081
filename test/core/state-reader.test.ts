import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../src/core/json.js';
import { JsonReader } from '../../src/core/state-reader.js';

describe('typed readers of strategy states and proposal infos', () => {
  it('reads checked fields and names the bad one', () => {
    const r = JsonReader.checkpoint('x', { n: 3, xs: [1, 2], name: 'a', inner: { k: [0, 1] } });
    assert.equal(r.integer('n'), 3);
    assert.deepEqual(r.numbers('xs'), [1, 2]);
    assert.deepEqual(r.object('inner').integers('k'), [0, 1]);
    assert.equal(r.numberOrNull('missing'), null);
    assert.deepEqual(r.integers('missing', []), []);
    assert.throws(() => r.integer('name'), /^CorruptStateError: checkpoint of strategy x: field name: expected an integer >= 0, got "a"$/);
    assert.throws(() => r.strings('xs'), /field xs: expected an array of strings, got an array/);
    assert.throws(() => r.object('inner').numbers('k2'), /checkpoint of strategy x: field inner: field k2: expected an array of numbers, got nothing/);
    assert.throws(() => JsonReader.checkpoint('x', [1] as JsonValue), /checkpoint of strategy x: expected an object, got an array/);
    assert.equal(JsonReader.info('x', null), undefined);
    assert.throws(() => JsonReader.info('x', { logp: 'high' })?.numberOrNull('logp'), /proposal info of strategy x: field logp: expected a number/);
  });
});
