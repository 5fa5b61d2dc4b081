import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drawerFor } from '../../src/report/draw/drawers.js';
import { NASNET_A } from '../../src/spaces/nasnet/index.js';

describe('NASNet drawing', () => {
  it('draws both cells of NASNet-A: inputs, blocks and output as nodes, an edge per op and per output state', () => {
    const d = drawerFor('nasnet')!(NASNET_A, {});
    // Per cell: 2 inputs + 5 blocks + concat.
    assert.equal((d.svg.match(/<g class="node"/g) ?? []).length, 16);
    // Per cell 10 op edges; outputs: 6 states (normal) and 4 (reduction).
    assert.equal((d.svg.match(/<path /g) ?? []).length, 20 + 6 + 4);
    assert.equal(d.lines[0], 'normal b0 = sep_conv5x5(h_i) + sep_conv3x3(h_i-1)');
    assert.equal(d.lines[5], 'normal out = concat(h_i-1, b0, b1, b2, b3, b4)');
    assert.equal(d.lines[11], 'reduction out = concat(b1, b2, b3, b4)');
    assert.match(d.svg, /^<svg class="arch nasnet"/);
  });
});
