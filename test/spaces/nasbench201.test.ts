import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GenotypeError } from '../../src/core/errors.js';
import { NasBench201Space, parseArchString, toArchString } from '../../src/spaces/nasbench201/space.js';
import { allArchs } from '../helpers/nb201-fixture.js';

const space = new NasBench201Space();
const ARCH = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';

describe('NAS-Bench-201 space', () => {
  it('round-trips the official architecture string', () => {
    const g = parseArchString(ARCH);
    assert.deepEqual(g.edges, ['nor_conv_3x3', 'nor_conv_3x3', 'avg_pool_3x3', 'skip_connect', 'nor_conv_3x3', 'skip_connect']);
    assert.equal(toArchString(g), ARCH);
    assert.equal(space.canonical(space.decode(space.encode(g))), ARCH);
  });

  it('maps the 15,625 decision vectors one-to-one onto architecture strings', () => {
    const keys = new Set<string>();
    for (let i = 0; i < 5 ** 6; i++) {
      const choices = Array.from({ length: 6 }, (_, e) => Math.floor(i / 5 ** e) % 5);
      const key = space.canonical(space.decode(choices));
      assert.deepEqual(space.encode(space.parse(key)), choices);
      keys.add(key);
    }
    assert.equal(keys.size, 15625);
    assert.deepEqual(new Set(allArchs()), keys);
  });

  it('names the bad field of an invalid genotype', () => {
    const bad = (text: unknown, re: RegExp) => assert.throws(() => space.validate(text), (e: unknown) => e instanceof GenotypeError && re.test(e.message));
    bad('|nor_conv_3x3~0|+|conv~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|', /edge\(0->2\): unknown op 'conv'/);
    bad('|nor_conv_3x3~0|+|none~0|', /expected 3 node groups/);
    bad('|nor_conv_3x3~0|+|none~0|none~2|+|none~0|none~1|none~2|', /edge\(1->2\): expected '~1'/);
    bad({ edges: ['none', 'none'] }, /edges: expected 6 ops, got 2/);
    bad({ edges: ['none', 'none', 'none', 'none', 'none', 3] }, /edges\[5\] edge\(2->3\): unknown op 3/);
    assert.throws(() => space.decode([0, 0, 0, 0, 0, 5]), /edge\(2->3\) \(decision 5\): choice 5/);
  });
});
