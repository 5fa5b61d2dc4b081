import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mutateChoices, sampleChoices } from '../../src/core/choices.js';
import { ConfigError, GenotypeError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { DARTS_OPS, isNasNetSpace, NASNET_A, nasNetSpaceFactory, NasNetSpace, outputStates, PAPER_OPS, RESNET_LIKE, type NasNetCell } from '../../src/spaces/nasnet/index.js';

const space = new NasNetSpace();

/** A cell as nasnet_utils' three lists: ops, indices, used_hiddenstates. */
function lists(cell: NasNetCell): { ops: string[]; indices: number[]; used: number[] } {
  const out = new Set(outputStates(cell));
  return {
    ops: cell.blocks.flatMap((b) => b.ops),
    indices: cell.blocks.flatMap((b) => b.inputs),
    used: Array.from({ length: cell.blocks.length + 2 }, (_, s) => (out.has(s) ? 0 : 1)),
  };
}

describe('NASNet space', () => {
  it('has 2 cells x B blocks x 5 decisions over the paper\'s 13 ops', () => {
    assert.equal(space.length, 50);
    assert.equal(PAPER_OPS.length, 13);
    assert.equal(DARTS_OPS.length, 8);
    assert.deepEqual(space.decision([]), { name: 'normal.block0.input1', labels: ['h_i', 'h_i-1', 'block0', 'block1', 'block2', 'block3'], mask: [true, true, false, false, false, false] });
    assert.equal(space.decision(Array(28).fill(0)).name, 'reduction.block0.op2');
    assert.deepEqual(space.decision(Array(15).fill(0)).mask, [true, true, true, true, true, false]);
    assert.deepEqual(space.decision(Array(4).fill(0)).labels, ['add']);
  });

  it('decodes NASNet-A to the published op, index and used lists (nasnet_utils.py, DESIGN.md)', () => {
    const g = space.validate(NASNET_A);
    assert.deepEqual(lists(g.normal), {
      ops: ['sep_conv5x5', 'sep_conv3x3', 'sep_conv5x5', 'sep_conv3x3', 'avg_pool3x3', 'identity', 'avg_pool3x3', 'avg_pool3x3', 'sep_conv3x3', 'identity'],
      indices: [0, 1, 1, 1, 0, 1, 1, 1, 0, 0],
      used: [1, 0, 0, 0, 0, 0, 0],
    });
    assert.deepEqual(lists(g.reduction), {
      ops: ['sep_conv5x5', 'sep_conv7x7', 'max_pool3x3', 'sep_conv7x7', 'avg_pool3x3', 'sep_conv5x5', 'identity', 'avg_pool3x3', 'sep_conv3x3', 'max_pool3x3'],
      indices: [0, 1, 0, 1, 0, 1, 3, 2, 2, 0],
      used: [1, 1, 1, 0, 0, 0, 0],
    });
    // Its decisions decode to the same blocks; the output lists, not decisions, are what the text keeps.
    const decoded = space.decode(space.encode(g));
    assert.deepEqual(decoded.normal.blocks, g.normal.blocks);
    assert.deepEqual(decoded.reduction.blocks, g.reduction.blocks);
    assert.equal(space.canonical(space.parse(space.canonical(g))), space.canonical(g));
    assert.deepEqual(lists(space.parse(space.canonical(g)).reduction).used, [1, 1, 1, 0, 0, 0, 0]);
    assert.match(space.canonical(g), /@1,2,3,4,5,6\|.*@3,4,5,6$/);
  });

  it('names the ResNet-like baseline with the options it needs', () => {
    const named = nasNetSpaceFactory.named!;
    assert.deepEqual(Object.keys(named), ['nasnet-a', 'resnet-like']);
    const s = nasNetSpaceFactory.create(named['resnet-like']!.options);
    assert.deepEqual(s.validate(RESNET_LIKE), RESNET_LIKE);
  });

  it('samples and mutates only valid genotypes; the canonical text round-trips', () => {
    const rng = Rng.fromSeed(3);
    const keys = new Set<string>();
    for (let k = 0; k < 200; k++) {
      const choices = sampleChoices(space, rng);
      const g = space.decode(choices);
      for (const cell of [g.normal, g.reduction]) cell.blocks.forEach((b, i) => assert.ok(b.inputs.every((s) => s < 2 + i)));
      assert.deepEqual(space.encode(space.parse(space.canonical(g))).length, 50);
      assert.equal(space.canonical(space.parse(space.canonical(g))), space.canonical(g));
      space.decode(mutateChoices(space, choices, rng).choices);
      keys.add(space.canonical(g));
    }
    assert.ok(keys.size > 195);
  });

  it('sorts the pairs of an add block but not of a concat one', () => {
    const s = nasNetSpaceFactory.create({ blocks: 1, ops: 'darts', combine: 'add,concat' });
    const cell = (combine: string) => ({ blocks: [{ inputs: [1, 0], ops: ['sep_conv3x3', 'none'], combine }] });
    assert.equal(s.canonical(s.validate({ normal: cell('add'), reduction: cell('concat') })), '0,1/none,sep_conv3x3/add|1,0/sep_conv3x3,none/concat');
    assert.equal(s.length, 10);
  });

  it('names the cell, block and field of a bad genotype', () => {
    const bad = (edit: (g: { normal: { blocks: Record<string, unknown>[]; concat?: unknown }; reduction: unknown }) => void) => {
      const g = JSON.parse(JSON.stringify(NASNET_A)) as Parameters<typeof edit>[0];
      edit(g);
      return () => space.validate(g);
    };
    assert.throws(bad((g) => { g.normal.blocks[2]!.inputs = [0, 4]; }), (e: Error) => e instanceof GenotypeError && /normal\.blocks\[2\]\.inputs\[1\].*state 4 does not exist yet/.test(e.message));
    assert.throws(bad((g) => { g.normal.blocks[1]!.ops = ['sep_conv3x3', 'conv9x9']; }), /normal\.blocks\[1\]\.ops\[1\].*unknown op "conv9x9"/);
    assert.throws(bad((g) => { g.normal.blocks[0]!.combine = 'concat'; }), /normal\.blocks\[0\]\.combine.*not enabled/);
    assert.throws(bad((g) => { g.normal.blocks.pop(); }), /normal\.blocks.*expected 5 blocks/);
    assert.throws(bad((g) => { g.normal.concat = [1, 2, 3]; }), /normal\.concat.*block 2's output \(state 4\) is neither read nor concatenated/);
    assert.throws(() => nasNetSpaceFactory.create({ ops: 'darts' }).validate(NASNET_A), /reduction\.blocks\[0\]\.ops\[1\]: op sep_conv7x7 is not in this space's ops/);
    assert.throws(() => space.parse('0,1/identity,identity/add'), /expected 'normal\|reduction'/);
    assert.throws(() => nasNetSpaceFactory.create({ ops: 'identity,warp' }), (e: Error) => e instanceof ConfigError && /unknown op 'warp'/.test(e.message));
  });

  it('is recognised by its shape (a space of another copy of tsnas), not by its class', () => {
    assert.ok(isNasNetSpace(space));
    assert.ok(isNasNetSpace({ id: 'nasnet', validate: () => null, config: { blocks: 5, ops: [], combines: [] } }));
    assert.ok(!isNasNetSpace({ id: 'nasfpn', validate: () => null, config: { blocks: 5, ops: [], combines: [] } }));
    assert.ok(!isNasNetSpace(null));
  });
});
