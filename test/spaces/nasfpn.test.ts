import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mutateChoices, sampleChoices } from '../../src/core/choices.js';
import { GenotypeError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { ConfigError } from '../../src/core/errors.js';
import { nasFpnSpaceFactory } from '../../src/spaces/nasfpn/factory.js';
import { describePyramid, NAMED_PYRAMIDS, NasFpnSpace, resolvePyramid } from '../../src/spaces/nasfpn/index.js';

const space = new NasFpnSpace();
const R = space.config;

describe('NAS-FPN space', () => {
  it('decodes the published architecture into the table of DESIGN.md', () => {
    assert.deepEqual(describePyramid(NAMED_PYRAMIDS['nasfpn-paper']!, R), [
      'n5 = global_pool(P6, P4) @P4',
      'n6 = sum(P4, n5) @P4',
      'P3out = sum(P3, n6) @P3',
      'P4out = sum(n6, P3out) @P4',
      'P5out = global_pool(P4out, P3out) + P5 @P5',
      'P7out = global_pool(P5out, n6) + P7 @P7',
      'P6out = global_pool(P7out, P5out) @P6',
    ]);
    assert.deepEqual(resolvePyramid(NAMED_PYRAMIDS['nasfpn-paper']!, R).outputs, [7, 8, 9, 11, 10]);
  });

  it('describes the hand-designed pyramids as the pathways they are', () => {
    assert.deepEqual(describePyramid(NAMED_PYRAMIDS.fpn!, R), [
      'P6out = sum(P6, P7) @P6',
      'P5out = sum(P5, P6out) @P5',
      'P4out = sum(P4, P5out) @P4',
      'P3out = sum(P3, P4out) @P3',
      'P7out = sum(P7, P6out) @P7',
    ]);
    assert.equal(describePyramid(NAMED_PYRAMIDS.panet!, R)[4], 'P4out = sum(n7, P3out) @P4');
    for (const [name, cells] of [['fpn', 5], ['panet', 8], ['nasfpn-paper', 7]] as const) {
      const s = new NasFpnSpace({ ...R, cells });
      assert.deepEqual(Object.keys(s.named()), [name]);
      assert.deepEqual(s.decode(s.encode(NAMED_PYRAMIDS[name]!)), NAMED_PYRAMIDS[name]);
    }
  });

  it('samples and mutates only valid pyramids: distinct inputs among existing nodes, output levels a permutation', () => {
    const rng = Rng.fromSeed(5);
    const keys = new Set<string>();
    for (let k = 0; k < 300; k++) {
      const choices = sampleChoices(space, rng);
      const g = space.decode(choices);
      g.cells.forEach((c, i) => {
        assert.ok(c.inputs[0] < 5 + i && c.inputs[1] < 5 + i && c.inputs[0] !== c.inputs[1]);
        if (i < 2) assert.ok(c.level >= 4);
      });
      assert.deepEqual(g.cells.slice(2).map((c) => c.level).sort(), [3, 4, 5, 6, 7]);
      assert.deepEqual(space.encode(space.parse(space.canonical(g))), space.encode(space.validate(space.parse(space.canonical(g)))));
      resolvePyramid(g, R);
      const child = space.decode(mutateChoices(space, choices, rng).choices);
      assert.deepEqual(child.cells.slice(2).map((c) => c.level).sort(), [3, 4, 5, 6, 7]);
      keys.add(space.canonical(g));
    }
    assert.ok(keys.size > 295);
    assert.equal(space.length, 28);
  });

  it('gives the same canonical string when only the order of commutative inputs differs', () => {
    const g = NAMED_PYRAMIDS['nasfpn-paper']!;
    const swap = (k: number) => ({ cells: g.cells.map((c, i) => (i === k ? { ...c, inputs: [c.inputs[1], c.inputs[0]] as const } : c)) });
    assert.equal(space.canonical(swap(1)), space.canonical(g)); // sum
    assert.equal(space.canonical(swap(0)), space.canonical(g)); // global_pool, inputs at levels 6 and 4
    const tie = { cells: g.cells.map((c, i) => (i === 3 ? { ...c, op: 'global_pool' as const } : c)) }; // n6, P3out: levels 4, 3
    assert.equal(space.canonical({ cells: tie.cells.map((c, i) => (i === 3 ? { ...c, inputs: [7, 6] as const } : c)) }), space.canonical(tie));
    const sameLevel = { cells: g.cells.map((c, i) => (i === 1 ? { ...c, op: 'global_pool' as const } : c)) }; // P4, n5: both level 4
    assert.notEqual(space.canonical({ cells: sameLevel.cells.map((c, i) => (i === 1 ? { ...c, inputs: [5, 1] as const } : c)) }), space.canonical(sameLevel));
  });

  it('searches the paper\'s two ops unless told otherwise; bifpn and no-fusion need the ops they use', () => {
    assert.deepEqual(space.decision([0, 1, 1]).labels, ['sum', 'global_pool']);
    assert.ok(!('bifpn' in space.named()) && !('no-fusion' in space.named()));
    assert.throws(() => new NasFpnSpace({ ...R, cells: 8 }).validate(NAMED_PYRAMIDS.bifpn), /cells\[0\]\.op: op weighted_sum is not in this space's ops/);
    for (const name of ['bifpn', 'no-fusion']) {
      const named = nasFpnSpaceFactory.named![name]!;
      const s = nasFpnSpaceFactory.create(named.options) as NasFpnSpace;
      const g = s.validate(named.genotype);
      assert.deepEqual(s.decode(s.encode(g)), g);
    }
    const wide = nasFpnSpaceFactory.create({ ops: 'sum,global_pool,weighted_sum' }) as NasFpnSpace;
    assert.deepEqual(wide.decision([0, 1, 1]).labels, ['sum', 'global_pool', 'weighted_sum']);
    assert.throws(() => nasFpnSpaceFactory.create({ ops: 'sum,concat' }), (e: unknown) => e instanceof ConfigError && /unknown op 'concat'/.test(e.message));
    assert.throws(() => nasFpnSpaceFactory.create({ ops: 'sum,sum' }), /listed twice/);
    assert.deepEqual(describePyramid(NAMED_PYRAMIDS['no-fusion']!, R), [
      'P3out = first(P3, P4) @P3',
      'P4out = first(P4, P3) @P4',
      'P5out = first(P5, P4) @P5',
      'P6out = first(P6, P5) @P6',
      'P7out = first(P7, P6) @P7',
    ]);
    // weighted_sum is commutative, first is not.
    assert.equal(wide.canonical({ cells: [{ inputs: [4, 1], level: 4, op: 'weighted_sum' }, ...NAMED_PYRAMIDS['nasfpn-paper']!.cells.slice(1)] }).split(';')[0], '4/weighted_sum/1,4');
  });

  it('accepts Google block specs and names the bad field of invalid genotypes', () => {
    const specs = [[4, 'attention', [1, 3], false], [4, 'sum', [1, 5], false], [3, 'sum', [0, 6], true], [4, 'sum', [6, 7], true], [5, 'attention', [7, 8], true], [7, 'attention', [6, 9], true], [6, 'attention', [9, 10], true]];
    assert.deepEqual(space.validate(specs), NAMED_PYRAMIDS['nasfpn-paper']);
    const bad = (g: unknown, re: RegExp) => assert.throws(() => space.validate(g), (e: unknown) => e instanceof GenotypeError && re.test(e.message), String(re));
    const cells = NAMED_PYRAMIDS['nasfpn-paper']!.cells;
    const edit = (k: number, c: object) => ({ cells: cells.map((x, i) => (i === k ? { ...x, ...c } : x)) });
    bad(edit(1, { inputs: [1, 6] }), /cells\[1\]\.inputs\[1\]: node 6 does not exist yet \(nodes 0\.\.5\)/);
    bad(edit(2, { inputs: [4, 4] }), /cells\[2\]\.inputs: the two inputs must differ/);
    bad(edit(0, { level: 3 }), /cells\[0\]\.level: level 3 is not allowed for an intermediate cell here; allowed: 4, 5, 6, 7/);
    bad(edit(6, { level: 5 }), /cells\[6\]\.level: level 5 is not allowed for an output cell here; allowed: 6/);
    bad(edit(3, { op: 'concat' }), /cells\[3\]\.op: unknown op "concat"/);
    bad({ cells: cells.slice(0, 5) }, /cells: expected 7 cells \(2 intermediate \+ 5 output\), got 5/);
    bad('4/sum/1,3;oops', /cells\[1\]: expected level\/op\/i,j/);
  });
});
