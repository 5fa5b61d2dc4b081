import { ConfigError } from '../core/errors.js';
import type { Metrics } from '../core/evaluator.js';
import { parseReward, RewardSyntaxError, type CompareOp, type RewardNode } from './reward-parser.js';

type Value = number | boolean;
type Compiled = (m: Metrics) => Value;
type Type = 'number' | 'boolean';

const CONSTANTS: Readonly<Record<string, Value>> = { pi: Math.PI, e: Math.E, tau: 2 * Math.PI, phi: (1 + Math.sqrt(5)) / 2, true: true, false: false };

const roundTo = (x: number, digits = 0): number => {
  if (!Number.isInteger(digits) || digits < 0 || digits > 15) return NaN;
  const f = 10 ** digits;
  return (Math.sign(x) * Math.round(Math.abs(x) * f)) / f; // half away from zero, as mathjs
};
const mod = (x: number, y: number): number => (y === 0 ? x : x - y * Math.floor(x / y)); // mathjs: the sign of y

/** The scalar functions a reward may call: [least, most] arguments and the implementation (mathjs's names and semantics). */
const FUNCTIONS: Readonly<Record<string, readonly [number, number, (...xs: number[]) => number]>> = {
  abs: [1, 1, Math.abs], sqrt: [1, 1, Math.sqrt], cbrt: [1, 1, Math.cbrt], exp: [1, 1, Math.exp], expm1: [1, 1, Math.expm1],
  log: [1, 2, (x, base) => (base === undefined ? Math.log(x) : Math.log(x) / Math.log(base))],
  log10: [1, 1, Math.log10], log2: [1, 1, Math.log2], log1p: [1, 1, Math.log1p], pow: [2, 2, Math.pow],
  square: [1, 1, (x) => x * x], cube: [1, 1, (x) => x * x * x],
  min: [1, 64, Math.min], max: [1, 64, Math.max], mean: [1, 64, (...xs) => xs.reduce((a, b) => a + b, 0) / xs.length], hypot: [1, 64, Math.hypot],
  floor: [1, 1, Math.floor], ceil: [1, 1, Math.ceil], fix: [1, 1, Math.trunc], round: [1, 2, roundTo], sign: [1, 1, Math.sign], mod: [2, 2, mod],
  sin: [1, 1, Math.sin], cos: [1, 1, Math.cos], tan: [1, 1, Math.tan], asin: [1, 1, Math.asin], acos: [1, 1, Math.acos], atan: [1, 1, Math.atan],
  atan2: [2, 2, Math.atan2], sinh: [1, 1, Math.sinh], cosh: [1, 1, Math.cosh], tanh: [1, 1, Math.tanh],
};

/** mathjs's comparison tolerance (relTol 1e-12, absTol 1e-15), so rewards compare as they did under mathjs. */
const nearlyEqual = (a: number, b: number): boolean => {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const diff = Math.abs(a - b);
  return diff <= 1e-15 || diff <= Math.max(Math.abs(a), Math.abs(b)) * 1e-12;
};
const COMPARE: Readonly<Record<CompareOp, (a: number, b: number) => boolean>> = {
  '==': nearlyEqual,
  '!=': (a, b) => !nearlyEqual(a, b),
  '<': (a, b) => a < b && !nearlyEqual(a, b),
  '<=': (a, b) => a < b || nearlyEqual(a, b),
  '>': (a, b) => a > b && !nearlyEqual(a, b),
  '>=': (a, b) => a > b || nearlyEqual(a, b),
};
const ARITHMETIC: Readonly<Record<string, (a: number, b: number) => number>> = {
  '+': (a, b) => a + b, '-': (a, b) => a - b, '*': (a, b) => a * b, '/': (a, b) => a / b, '%': mod, '^': Math.pow,
};

/** Values at which a new reward is tried once: every metric at each in turn. One that is never finite is refused. */
const PROBES = [0.5, 1, 2, 10, 100];

/**
 * A reward computed from an evaluation's metrics, e.g. `val_acc - 0.5 * params / 1e6`: arithmetic,
 * comparisons (true/false count as 1/0), and/or/xor/not, `c ? a : b` and the usual scalar functions
 * (abs, sqrt, exp, log(x[, base]), log10, log2, pow, min, max, mean, floor, ceil, round, sign, mod,
 * trigonometry, ...), in mathjs's syntax. Checked once when the search is set up: syntax, names (the
 * evaluator's metrics, constants pi, e, tau, phi), argument counts, that the result is a number, and
 * that it is finite for at least one probe of metric values.
 */
export class RewardExpression {
  readonly expression: string;
  private readonly code: Compiled;

  /** Throws ConfigError naming the problem. */
  constructor(expression: string, metricNames: readonly string[]) {
    this.expression = expression;
    function fail(detail: string): never {
      throw new ConfigError('reward', `'${expression.length > 80 ? `${expression.slice(0, 80)}…` : expression}': ${detail}`);
    }
    if (typeof expression !== 'string' || expression.trim() === '') fail('expected a non-empty expression');
    const tree = parseOrFail(expression, fail);
    const metrics = new Set(metricNames);
    const type = (n: RewardNode): Type => {
      switch (n.kind) {
        case 'num':
          return 'number';
        case 'name':
          if (metrics.has(n.name)) return 'number';
          if (n.name in CONSTANTS) return typeof CONSTANTS[n.name] === 'boolean' ? 'boolean' : 'number';
          if (n.name in FUNCTIONS) return fail(`'${n.name}' is a function: call it, e.g. ${n.name}(x)`);
          return fail(`unknown name '${n.name}'; metrics: ${metricNames.join(', ')}`);
        case 'call': {
          const f = FUNCTIONS[n.name];
          if (!f) return fail(`unknown function '${n.name}'; functions: ${Object.keys(FUNCTIONS).join(', ')}`);
          if (n.args.length < f[0] || n.args.length > f[1]) fail(`${n.name}() takes ${f[0] === f[1] ? f[0] : `${f[0]} to ${f[1]}`} argument${f[1] > 1 ? 's' : ''}, got ${n.args.length}`);
          n.args.forEach(type);
          return 'number';
        }
        case 'unary':
          type(n.arg);
          return n.op === 'not' ? 'boolean' : 'number';
        case 'binary':
          type(n.left);
          type(n.right);
          return n.op === 'and' || n.op === 'or' || n.op === 'xor' ? 'boolean' : 'number';
        case 'compare':
          n.args.forEach(type);
          return 'boolean';
        case 'cond': {
          type(n.test);
          const [a, b] = [type(n.then), type(n.else)];
          return a === 'number' || b === 'number' ? 'number' : 'boolean';
        }
      }
    };
    if (type(tree) !== 'number') fail('the reward must be a number, and this is true or false (a comparison or logic); e.g. write (val_acc > 50) * 1 or val_acc > 50 ? 1 : 0');
    this.code = compile(tree);
    const probes = PROBES.map((v) => this.code(Object.fromEntries(metricNames.map((m) => [m, v]))));
    if (!probes.some((v) => typeof v === 'number' && Number.isFinite(v))) {
      fail(`not a finite number for any probe of the metrics (each metric ${PROBES.join(', ')} in turn gives ${probes.map(String).join(', ')})`);
    }
  }

  /** The reward; throws when the result is not a finite number (the trial then fails with that reason). */
  compute(metrics: Metrics): number {
    const value = this.code(metrics);
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`reward '${this.expression}' is not a finite number (${String(value)})`);
    return value;
  }
}

function parseOrFail(expression: string, fail: (detail: string) => never): RewardNode {
  try {
    return parseReward(expression);
  } catch (e) {
    if (e instanceof RewardSyntaxError) fail(e.message);
    throw e;
  }
}

const num = (v: Value): number => (typeof v === 'boolean' ? Number(v) : v);
const truthy = (v: Value): boolean => (typeof v === 'boolean' ? v : v !== 0 && !Number.isNaN(v));

/** Closures over the checked tree (its depth is bounded, so is their recursion). */
function compile(n: RewardNode): Compiled {
  switch (n.kind) {
    case 'num':
      return () => n.value;
    case 'name': {
      const constant = CONSTANTS[n.name];
      return (m) => (Object.hasOwn(m, n.name) ? (m[n.name] as number) : (constant as Value));
    }
    case 'call': {
      const f = (FUNCTIONS[n.name] as (typeof FUNCTIONS)[string])[2];
      const args = n.args.map(compile);
      return (m) => f(...args.map((a) => num(a(m))));
    }
    case 'unary': {
      const arg = compile(n.arg);
      if (n.op === 'not') return (m) => !truthy(arg(m));
      return n.op === '-' ? (m) => -num(arg(m)) : (m) => num(arg(m));
    }
    case 'binary': {
      const [l, r] = [compile(n.left), compile(n.right)];
      if (n.op === 'and') return (m) => truthy(l(m)) && truthy(r(m));
      if (n.op === 'or') return (m) => truthy(l(m)) || truthy(r(m));
      if (n.op === 'xor') return (m) => truthy(l(m)) !== truthy(r(m));
      const f = ARITHMETIC[n.op] as (a: number, b: number) => number;
      return (m) => f(num(l(m)), num(r(m)));
    }
    case 'compare': {
      const args = n.args.map(compile);
      const ops = n.ops.map((op) => COMPARE[op]);
      // a < b < c means a < b and b < c, as in mathjs.
      return (m) => {
        const vs = args.map((a) => num(a(m)));
        return ops.every((op, i) => op(vs[i] as number, vs[i + 1] as number));
      };
    }
    case 'cond': {
      const [t, a, b] = [compile(n.test), compile(n.then), compile(n.else)];
      return (m) => (truthy(t(m)) ? a(m) : b(m));
    }
  }
}
