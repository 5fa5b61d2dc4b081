import { existsSync, readFileSync, renameSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { GenotypeError } from '../../src/core/errors.js';
import type { EvaluationRequest, Evaluator, EvaluatorFactory, Metrics } from '../../src/core/evaluator.js';
import type { SpaceFactory } from '../../src/core/space.js';
import type { FidelitySpec } from '../../src/core/fidelity.js';
import type { JsonValue } from '../../src/core/json.js';
import { resolveOptions } from '../../src/core/options.js';
import type { Decision, SearchSpace } from '../../src/core/space.js';
import type { Feedback, StrategyFactory } from '../../src/core/strategy.js';
import type { Registries } from '../../src/core/registry.js';

/**
 * Components with known learning curves for multi-fidelity tests. A point is [start, final, tag]
 * (each 0..9); its reward after r of `max` steps is start + (final - start) * r / max, so rankings at
 * low and high fidelity differ in ways a test can work out by hand.
 */
export type CurvePoint = [number, number, number];

export function curveReward([start, final]: readonly number[], resource: number, max = 9): number {
  return (start as number) + ((final as number) - (start as number)) * (resource / max);
}

const DIGITS = Array.from({ length: 10 }, (_, i) => String(i));
const NAMES = ['start', 'final', 'tag'];

class CurveSpace implements SearchSpace<number[]> {
  readonly id = 'curve';
  readonly length = 3;
  readonly maxCandidates = 10;

  decision(prefix: readonly number[]): Decision {
    const name = NAMES[prefix.length];
    if (name === undefined) throw new GenotypeError('choices', `no decision ${prefix.length}`);
    return { name, labels: DIGITS };
  }

  decode(choices: readonly number[]): number[] {
    return this.validate(choices.slice());
  }

  encode(g: number[]): number[] {
    return g.slice();
  }

  validate(g: unknown): number[] {
    if (!Array.isArray(g) || g.length !== 3 || !g.every((x) => Number.isInteger(x) && x >= 0 && x <= 9)) throw new GenotypeError('genotype', 'expected [start, final, tag] in 0..9');
    return g as number[];
  }

  canonical(g: number[]): string {
    return g.join(',');
  }

  parse(text: string): number[] {
    return this.validate(text.split(',').map(Number));
  }
}

/** One evaluation as the curve evaluator saw it: trained from `from` to `to` steps. */
export interface CurveCall {
  readonly trial: number;
  readonly from: number;
  readonly to: number;
  readonly stateDir: string | undefined;
}

/** Environment variable `trial:resource`: that evaluation hangs (so a test can kill the search there). */
export const CURVE_HOLD = 'TSNAS_TEST_CURVE_HOLD';

/** Calls made in this process, in the order they started. */
export const curveCalls: CurveCall[] = [];

/**
 * Trains "steps" for real bookkeeping: it reads the steps already trained from `state.json` in the
 * trial's state folder, counts the increment as trained, and saves the new total (atomically, as a real
 * evaluator should). Each call is also appended to the folder's `calls.jsonl`, so tests in another
 * process can see what was run again.
 */
class CurveEvaluator implements Evaluator<number[]> {
  readonly metrics = ['score', 'trained', 'steps'];
  readonly primaryMetric = 'score';
  readonly fidelity: FidelitySpec;

  constructor(
    private readonly max: number,
    min: number,
    private readonly sleepMs: number,
    private readonly failAt: string | undefined,
    private readonly noise: number,
  ) {
    this.fidelity = { unit: 'steps', min, max };
  }

  async evaluate(req: EvaluationRequest<number[]>): Promise<Metrics> {
    const to = req.fidelity?.resource ?? this.max;
    const dir = req.fidelity?.stateDir;
    const state = dir && join(dir, 'state.json');
    const from = state && existsSync(state) ? (JSON.parse(readFileSync(state, 'utf8')) as { steps: number }).steps : 0;
    curveCalls.push({ trial: req.trial, from, to, stateDir: dir });
    if (dir) appendFileSync(join(dir, 'calls.jsonl'), JSON.stringify({ from, to }) + '\n');
    if (from > to) throw new Error(`state at ${from} steps is beyond the requested ${to}`);
    // A kill test's fixed point (kept out of the options, which are part of the experiment's identity).
    if (process.env[CURVE_HOLD] === `${req.trial}:${to}`) await new Promise((r) => setTimeout(r, 60_000));
    if (this.sleepMs > 0) await new Promise((r) => setTimeout(r, this.sleepMs));
    if (this.failAt === `${req.trial}:${to}`) throw new Error(`diverged at ${to} steps`);
    if (state) {
      writeFileSync(state + '.tmp', JSON.stringify({ steps: to }));
      renameSync(state + '.tmp', state);
    }
    // Seed noise, for tests of what re-evaluation over seeds averages away: +-noise/2, fixed per seed.
    const jitter = this.noise * (((req.seed >>> 0) % 1000) / 1000 - 0.5);
    return { score: curveReward(req.genotype, to, this.max) + jitter, trained: to - from, steps: to };
  }
}

export const curveSpaceFactory: SpaceFactory = {
  name: 'curve',
  description: 'test space of learning curves: [start, final, tag]',
  options: {},
  create() {
    return new CurveSpace();
  },
};

const CURVE_OPTIONS = {
  max: { type: 'integer', default: 9, min: 1, help: 'top fidelity in steps' },
  min: { type: 'integer', default: 1, min: 1, help: 'lowest meaningful fidelity' },
  sleepMs: { type: 'number', default: 0, min: 0, help: 'time each evaluation takes' },
  failAt: { type: 'optional-string', help: 'trial:resource whose evaluation fails' },
  noise: { type: 'number', default: 0, min: 0, help: 'seed-dependent noise added to the score (width)' },
} as const;

export const curveEvaluatorFactory: EvaluatorFactory = {
  name: 'curve',
  description: 'known learning curves with resumable step counting',
  spaces: ['curve'],
  options: CURVE_OPTIONS,
  create(options) {
    const o = resolveOptions('curve', CURVE_OPTIONS, options);
    return new CurveEvaluator(o.max, o.min, o.sleepMs, o.failAt, o.noise);
  },
};

/** What the scripted strategy heard, in order. */
export const scriptLog: { kind: 'tell' | 'update'; trial: number; reward: number | null; resource: number | undefined; status: Feedback['status'] }[] = [];

/** Proposes the points of its `points` option ("s,f,t;s,f,t;..."), in order. */
export const scriptStrategyFactory: StrategyFactory = {
  name: 'script',
  description: 'proposes a fixed list of points',
  options: { points: { type: 'string', default: '', help: 'points, ;-separated' } },
  create(_ctx, options) {
    const points = String(options.points ?? '').split(';').filter((p) => p !== '').map((p) => p.split(',').map(Number));
    let next = 0;
    const log = (kind: 'tell' | 'update') => (f: Feedback) => void scriptLog.push({ kind, trial: f.trial, reward: f.reward, resource: f.resource, status: f.status });
    return {
      ask: (n: number) =>
        Array.from({ length: n }, () => {
          const p = points[next++];
          if (!p) throw new Error(`script exhausted after ${points.length} points`);
          return { choices: p };
        }),
      tell: log('tell'),
      update: log('update'),
      state: () => ({ next }) as JsonValue,
      restore: (s: JsonValue) => void (next = (s as { next: number }).next),
    };
  },
};

export function registerCurve(r: Registries): Registries {
  r.spaces.add(curveSpaceFactory);
  r.evaluators.add(curveEvaluatorFactory);
  r.strategies.add(scriptStrategyFactory);
  return r;
}
