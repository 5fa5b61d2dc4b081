import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkMetrics } from '../../src/engine/check-metrics.js';

describe('metrics check (both executors)', () => {
  it('passes a flat record of finite numbers and names what is wrong otherwise', () => {
    assert.deepEqual(checkMetrics({ loss: 0.5, acc: 90 }), { loss: 0.5, acc: 90 });
    const bad: [unknown, string][] = [
      [{ loss: NaN }, 'metric loss is NaN'],
      [{ acc: 1, loss: -Infinity }, 'metric loss is -Infinity'],
      [{ loss: '0.5' }, 'metric loss is not a number (string)'],
      [{ loss: null }, 'metric loss is not a number (null)'],
      [{ nested: { a: 1 } }, 'metric nested is not a number (object)'],
      [[1, 2], 'evaluator returned an array, not a record of metrics'],
      [undefined, 'evaluator returned undefined, not a record of metrics'],
    ];
    for (const [value, message] of bad) assert.throws(() => checkMetrics(value), { message });
  });
});
