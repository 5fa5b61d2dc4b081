import { all, create, type EvalFunction, type MathNode } from 'mathjs';
import { ConfigError } from '../core/errors.js';
import type { Metrics } from '../core/evaluator.js';

// A private mathjs instance whose functions that could reach outside an expression are disabled,
// as mathjs documents for evaluating untrusted expressions.
const math = create(all);
const disabled = (name: string) => () => {
  throw new Error(`function ${name} is disabled in reward expressions`);
};
const compileExpression = math.compile;
const parseExpression = math.parse;
math.import(
  Object.fromEntries(['import', 'createUnit', 'evaluate', 'parse', 'simplify', 'derivative', 'compile'].map((n) => [n, disabled(n)])),
  { override: true },
);

/** A reward computed from an evaluation's metrics by a mathjs expression, e.g. `val_acc - 0.5 * params / 1e6`. */
export class RewardExpression {
  readonly expression: string;
  private readonly code: EvalFunction;

  /** Throws ConfigError when the expression does not parse or uses a name that is neither a metric nor a math function/constant. */
  constructor(expression: string, metricNames: readonly string[]) {
    this.expression = expression;
    let node: MathNode;
    try {
      node = parseExpression(expression);
    } catch (e) {
      throw new ConfigError('reward', `cannot parse '${expression}': ${(e as Error).message}`);
    }
    const functionNames = new Set(node.filter((n) => (n as { type: string }).type === 'FunctionNode').map((n) => (n as unknown as { fn: { name: string } }).fn.name));
    for (const sym of node.filter((n) => (n as { type: string }).type === 'SymbolNode')) {
      const name = (sym as unknown as { name: string }).name;
      if (functionNames.has(name) || metricNames.includes(name)) continue;
      if (name in math && typeof (math as unknown as Record<string, unknown>)[name] !== 'function') continue; // pi, e, ...
      throw new ConfigError('reward', `unknown name '${name}' in '${expression}'; metrics: ${metricNames.join(', ')}`);
    }
    this.code = compileExpression(expression);
  }

  /** The reward; throws when the result is not a finite number (the trial then fails with that reason). */
  compute(metrics: Metrics): number {
    const value: unknown = this.code.evaluate({ ...metrics });
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`reward '${this.expression}' is not a finite number (${String(value)})`);
    }
    return value;
  }
}
