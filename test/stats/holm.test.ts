import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { holmAdjust } from '../../src/stats/holm.js';

describe('holmAdjust', () => {
  it("matches Holm's step-down values (as R's p.adjust(method = 'holm'))", () => {
    // p.adjust(c(0.01, 0.04, 0.03, 0.005), 'holm') = 0.03 0.06 0.06 0.02
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((want, i) => assert.ok(Math.abs((adjusted[i] as number) - want) < 1e-12, `${i}: ${adjusted[i]}`));
    assert.deepEqual(holmAdjust([0.5, 0.9]), [1, 1]);
    assert.deepEqual(holmAdjust([]), []);
    const withNaN = holmAdjust([NaN, 0.02]);
    assert.ok(Number.isNaN(withNaN[0]));
    assert.equal(withNaN[1], 0.02);
  });
});
