import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkChoices, mutateChoices, repairChoices, sampleChoices } from '../../src/core/choices.js';
import { GenotypeError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { isValidCandidate } from '../../src/core/space.js';
import { ToyCellSpace } from '../helpers/toy-space.js';

const space = new ToyCellSpace(4, 2);

function isValid(choices: number[]): boolean {
  return choices.every((c, i) => isValidCandidate(space.decision(choices.slice(0, i)), c));
}

describe('decision vectors', () => {
  it('samples only valid candidates under growing masks', () => {
    const rng = Rng.fromSeed(1);
    for (let k = 0; k < 500; k++) {
      const c = sampleChoices(space, rng);
      assert.equal(c.length, space.length);
      assert.ok(isValid(c), `invalid sample ${c}`);
      for (let cell = 0; cell < 4; cell++) assert.notEqual(c[cell * 3], c[cell * 3 + 1], 'inputs must differ');
    }
  });

  it('reaches every candidate of a decision with the uniform sampler', () => {
    const rng = Rng.fromSeed(2);
    const seen = new Set<number>();
    for (let k = 0; k < 500; k++) seen.add(sampleChoices(space, rng)[9] as number); // cell 3, input 0: 5 nodes
    assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4]);
  });

  it('mutates exactly the chosen decision before the repaired tail, to a different valid value', () => {
    const rng = Rng.fromSeed(3);
    for (let k = 0; k < 500; k++) {
      const parent = sampleChoices(space, rng);
      const { choices, position } = mutateChoices(space, parent, rng);
      assert.ok(isValid(choices));
      assert.deepEqual(choices.slice(0, position), parent.slice(0, position));
      assert.notEqual(choices[position], parent[position]);
    }
  });

  it('keeps later choices that stay valid when repairing', () => {
    const rng = Rng.fromSeed(4);
    // cell0 inputs (0,1); cell1 inputs (2,0): changing cell1.input0 to 0 makes input1=0 invalid only.
    const rest = [0, 1, 3, 2, 1, 4, 0, 0];
    const repaired = repairChoices(space, [0, 1, 1, 0], rest, rng);
    assert.notEqual(repaired[4], 0, 'input1 must be resampled away from input0');
    assert.deepEqual(repaired.slice(5), rest.slice(1));
    assert.ok(isValid(repaired));
  });

  it('names the bad decision in errors', () => {
    assert.throws(() => checkChoices(space, [0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0]), (e: unknown) => e instanceof GenotypeError && /cell0\.input1 \(decision 1\)/.test(e.message));
    assert.throws(() => checkChoices(space, [0, 1]), /expected 12 decisions, got 2/);
  });
});

describe('Rng', () => {
  it('continues the same stream after a state round trip through JSON', () => {
    const a = Rng.fromSeed(42);
    for (let i = 0; i < 10; i++) a.next();
    const b = Rng.fromState(JSON.parse(JSON.stringify(a.state())));
    for (let i = 0; i < 100; i++) assert.equal(a.next(), b.next());
  });

  it('draws categorical indices in proportion to the weights', () => {
    const rng = Rng.fromSeed(7);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) counts[rng.categorical([1, 0, 3])]!++;
    assert.equal(counts[1], 0);
    assert.ok(Math.abs((counts[2] as number) / 30000 - 0.75) < 0.02, `got ${counts}`);
  });
});
