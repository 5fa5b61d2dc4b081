import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import type { Scheduler, SchedulerContext, SchedulerDecision } from '../../src/core/scheduler.js';
import { Asha, ashaFactory } from '../../schedulers/asha.js';
import { fifoFactory } from '../../schedulers/fifo.js';
import { Hyperband, hyperbandFactory } from '../../schedulers/hyperband.js';
import { SuccessiveHalving, successiveHalvingFactory } from '../../schedulers/successive-halving.js';

const ctx = (fidelity: SchedulerContext['fidelity'] = { unit: 'steps', min: 1, max: 9 }): SchedulerContext => ({ fidelity, evaluator: 'curve', rng: Rng.fromSeed(7) });
const create = (f: typeof ashaFactory, options: Record<string, unknown>, c = ctx()) => f.create(c, options) as Scheduler;

/** Plays a scheduler forward: `started` for starts (numbering trials), returns the decisions. */
function drive(s: Scheduler, canStart: boolean, times: number, first: { n: number }): SchedulerDecision[] {
  const out: SchedulerDecision[] = [];
  for (let i = 0; i < times; i++) {
    const d = s.next(canStart);
    if (d.kind === 'start') s.started(first.n++, d.resource);
    out.push(d);
  }
  return out;
}

describe('rung levels', () => {
  it('are minResource * eta^k below maxResource, then maxResource itself', () => {
    const wide = ctx({ unit: 'steps', min: 1, max: 100 });
    assert.deepEqual(create(ashaFactory, {}, wide).levels, [1, 3, 9, 27, 81, 100]);
    assert.deepEqual(create(ashaFactory, { eta: 2, minResource: 10, maxResource: 80 }, wide).levels, [10, 20, 40, 80]);
    assert.deepEqual(create(ashaFactory, { minResource: 50 }, wide).levels, [50, 100]);
    assert.deepEqual(create(ashaFactory, { minResource: 100 }, wide).levels, [100]);
    assert.deepEqual(create(hyperbandFactory, {}).levels, [1, 3, 9]);
    assert.deepEqual(create(successiveHalvingFactory, { eta: '3', minResource: '2' }, wide).levels, [2, 6, 18, 54, 100]);
  });

  it('refuse bad options and an evaluator without a fidelity, naming the problem', () => {
    assert.throws(() => create(ashaFactory, { eta: 1 }), (e: unknown) => e instanceof ConfigError && /asha\.eta: must be >= 2/.test(e.message));
    assert.throws(() => create(ashaFactory, { minResource: 0.5 }), /asha\.minResource: must be >= the evaluator's fidelity\.min \(1 steps\)/);
    assert.throws(() => create(ashaFactory, { maxResource: 10 }), /asha\.maxResource: must be <= the evaluator's fidelity\.max \(9 steps\)/);
    assert.throws(() => create(ashaFactory, { minResource: 5, maxResource: 4 }), /asha\.minResource: must be <= maxResource/);
    assert.throws(() => create(hyperbandFactory, { rungs: 3 }), /hyperband\.rungs: unknown option; known: eta, minResource, maxResource, brackets/);
    assert.throws(() => create(ashaFactory, {}, { ...ctx(), fidelity: undefined }), /'asha' needs an evaluator with a fidelity .*'curve' has a single fidelity: leave the scheduler at fifo/);
    assert.equal(fifoFactory.create({ ...ctx(), fidelity: undefined }, {}), null);
    assert.throws(() => fifoFactory.create(ctx(), { eta: 3 }), /fifo\.eta: unknown option/);
  });
});

describe('ASHA', () => {
  // Rewards at level 1 of trials 0..8, then at level 3 for those that get there.
  const at1 = [2.8, 5, 3, 1.8, 5.6, 4.3, 0, 6.7, 2.4];
  const at3: Record<number, number> = { 1: 5, 4: 4.7, 7: 6 };

  it('promotes the best unpromoted trial of the top 1/eta of the highest rung, else starts one (worked by hand)', () => {
    const s = new Asha([1, 3, 9], 3);
    const seen: string[] = [];
    let n = 0;
    // One slot: each decision runs to completion before the next.
    for (;;) {
      const d = s.next(n < 9);
      if (d.kind === 'wait') break;
      if (d.kind === 'start') {
        s.started(n, 1);
        seen.push(`start ${n}`);
        s.report({ trial: n, resource: 1, reward: at1[n] as number });
        n++;
      } else {
        seen.push(`promote ${d.trial}@${d.resource}`);
        s.report({ trial: d.trial, resource: d.resource, reward: d.resource === 3 ? (at3[d.trial] as number) : 4 });
      }
    }
    // After 3 at level 1, the top 1 (trial 1) goes up; after 5, trial 4; after 8 (top 2: 7, 4), trial 7,
    // which then tops level 3's three; with the budget spent, level 1's top 3 (7, 4, 1) are all promoted.
    assert.deepEqual(seen, [
      'start 0', 'start 1', 'start 2', 'promote 1@3', 'start 3', 'start 4', 'promote 4@3', 'start 5', 'start 6', 'start 7',
      'promote 7@3', 'promote 7@9', 'start 8',
    ]);
  });

  it('ignores failed trials, and continues identically after state() and restore()', () => {
    const a = new Asha([1, 3, 9], 3);
    const counter = { n: 0 };
    drive(a, true, 3, counter);
    a.report({ trial: 0, resource: 1, reward: 1 });
    a.report({ trial: 1, resource: 1, reward: null });
    a.report({ trial: 2, resource: 1, reward: 2 });
    assert.deepEqual(a.next(false), { kind: 'wait' }, 'two ranked trials: floor(2/3) = 0 promotable');
    const b = new Asha([1, 3, 9], 3);
    b.restore(JSON.parse(JSON.stringify(a.state())));
    for (const s of [a, b]) {
      s.started(3, 1);
      s.report({ trial: 3, resource: 1, reward: 0.5 });
    }
    assert.deepEqual(b.next(true), a.next(true));
    assert.deepEqual(a.next(true), { kind: 'start', resource: 1 });
  });
});

describe('synchronous successive halving', () => {
  it('waits for each complete rung, promotes the best 1/eta of it, then starts the next bracket', () => {
    const s = create(successiveHalvingFactory, {}) as SuccessiveHalving;
    const counter = { n: 0 };
    assert.ok(drive(s, true, 9, counter).every((d) => d.kind === 'start' && d.resource === 1));
    assert.deepEqual(s.next(true), { kind: 'wait' }, 'the bracket is full');
    const rewards = [5, 1, 8, 3, 9, 2, 7, 4, 6];
    for (let t = 0; t < 8; t++) s.report({ trial: t, resource: 1, reward: rewards[t] as number });
    assert.deepEqual(s.next(true), { kind: 'wait' }, 'one trial of the rung is still running');
    s.report({ trial: 8, resource: 1, reward: 6 });
    assert.deepEqual(drive(s, true, 4, counter), [
      { kind: 'promote', trial: 4, resource: 3 },
      { kind: 'promote', trial: 2, resource: 3 },
      { kind: 'promote', trial: 6, resource: 3 },
      { kind: 'wait' },
    ]);
    s.report({ trial: 4, resource: 3, reward: 1 });
    s.report({ trial: 2, resource: 3, reward: 3 });
    assert.deepEqual(s.next(true), { kind: 'wait' });
    s.report({ trial: 6, resource: 3, reward: 2 });
    assert.deepEqual(s.next(true), { kind: 'promote', trial: 2, resource: 9 });
    assert.deepEqual(s.next(true), { kind: 'wait' });
    s.report({ trial: 2, resource: 9, reward: 3 });
    assert.equal(s.current().number, 1);
    assert.deepEqual(drive(s, true, 1, counter), [{ kind: 'start', resource: 1 }]);
    assert.deepEqual(s.current(), { number: 2, entrants: [[9], [], []] });
  });

  it('halves a bracket the budget cut short from the trials it has, leaving failed ones out', () => {
    const s = create(successiveHalvingFactory, {}) as SuccessiveHalving;
    const counter = { n: 0 };
    drive(s, true, 5, counter);
    assert.deepEqual(s.next(false), { kind: 'wait' });
    [4, null, 6, 1, 2].forEach((reward, trial) => s.report({ trial, resource: 1, reward }));
    // max(1, floor(5 / 3)) = 1 goes on, and the bracket never starts more trials.
    assert.deepEqual(drive(s, false, 2, counter), [{ kind: 'promote', trial: 2, resource: 3 }, { kind: 'wait' }]);
    s.report({ trial: 2, resource: 3, reward: 5 });
    assert.deepEqual(drive(s, false, 2, counter), [{ kind: 'promote', trial: 2, resource: 9 }, { kind: 'wait' }]);
    const copy = create(successiveHalvingFactory, {}) as SuccessiveHalving;
    copy.restore(JSON.parse(JSON.stringify(s.state())));
    assert.deepEqual(copy.current(), s.current());
    assert.equal(create(successiveHalvingFactory, { size: 4 }).next(true).kind, 'start');
  });
});

describe('Hyperband', () => {
  it('draws brackets in proportion to synchronous Hyperband (9 : 4.5 : 3 for three levels, eta 3)', () => {
    const s = create(hyperbandFactory, {}) as Hyperband;
    const counts = [0, 0, 0];
    // No reports: nothing is ever promotable, so every decision starts a trial at its bracket's lowest rung.
    for (const d of drive(s, true, 3000, { n: 0 })) counts[[1, 3, 9].indexOf((d as { resource: number }).resource)]!++;
    const expected = [9 / 16.5, 4.5 / 16.5, 3 / 16.5];
    counts.forEach((c, i) => assert.ok(Math.abs(c / 3000 - (expected[i] as number)) < 0.03, `bracket ${i}: ${c} of 3000`));
    assert.equal((create(hyperbandFactory, { brackets: 1 }) as Hyperband).next(true).kind, 'start');
  });

  it('promotes within a bracket only, and continues identically after state() and restore()', () => {
    const s = create(hyperbandFactory, { brackets: 2 }) as Hyperband;
    // Bracket 0 (levels 1, 3, 9): trials 0-2 at 1. Bracket 1 (levels 3, 9): trials 10-12 at 3.
    for (const [trial, resource, reward] of [[0, 1, 1], [1, 1, 3], [2, 1, 2], [10, 3, 7], [11, 3, 9], [12, 3, 8]] as const) {
      s.started(trial, resource);
      s.report({ trial, resource, reward });
    }
    assert.equal(s.bracketOf(1), 0);
    assert.equal(s.bracketOf(11), 1);
    const copy = create(hyperbandFactory, { brackets: 2 }) as Hyperband;
    copy.restore(JSON.parse(JSON.stringify(s.state())));
    assert.deepEqual(drive(s, false, 3, { n: 20 }), [
      { kind: 'promote', trial: 1, resource: 3 },
      { kind: 'promote', trial: 11, resource: 9 },
      { kind: 'wait' },
    ]);
    // Trial 1 at 3 joins bracket 0's level 3 (alone there: not promotable), not bracket 1's.
    s.report({ trial: 1, resource: 3, reward: 100 });
    assert.deepEqual(s.next(false), { kind: 'wait' });
    // The restored copy and a second restore of it draw the same brackets and make the same decisions.
    const twin = new Hyperband(copy.levels, 3, 2, Rng.fromSeed(0));
    twin.restore(JSON.parse(JSON.stringify(copy.state())));
    const decisions = drive(copy, true, 12, { n: 20 });
    assert.deepEqual(drive(twin, true, 12, { n: 20 }), decisions);
    assert.ok(decisions.some((d) => d.kind === 'promote') && decisions.some((d) => d.kind === 'start'));
  });
});

