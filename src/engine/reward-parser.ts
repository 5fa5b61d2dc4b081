// The reward language: numbers, metric names, + - * / % mod ^, comparisons (chained: a < b < c),
// and/or/xor/not, c ? a : b and calls of a fixed set of scalar functions, with mathjs's syntax and
// precedence, and no 750 ms mathjs import in every process. jsep parses the operators (precedence,
// associativity, unary operators, the ternary), configured with mathjs's in place of JavaScript's;
// its hooks read the operands, so that the language stays closed (numbers, names, calls of a name,
// parentheses), and the tree is mapped onto RewardNode. The length is bounded before parsing and
// the nesting while parsing and mapping, so that no input can exhaust the stack (jsep is recursive).
import jsep from 'jsep';

export type RewardNode =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly RewardNode[] }
  | { readonly kind: 'unary'; readonly op: '-' | '+' | 'not'; readonly arg: RewardNode }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: RewardNode; readonly right: RewardNode }
  | { readonly kind: 'compare'; readonly ops: readonly CompareOp[]; readonly args: readonly RewardNode[] }
  | { readonly kind: 'cond'; readonly test: RewardNode; readonly then: RewardNode; readonly else: RewardNode };

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '^' | 'and' | 'or' | 'xor';
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export const MAX_LENGTH = 1000;
export const MAX_DEPTH = 40;

/** A syntax error at a position of the expression. */
export class RewardSyntaxError extends Error {}

const tooDeep = (): RewardSyntaxError => new RewardSyntaxError(`expression is nested more than ${MAX_DEPTH} levels deep`);

// jsep's configuration is global to the process (nothing else in tsnas uses jsep). mathjs's precedence,
// loosest first: ?: (jsep's ternary, below every binary operator), or, xor, and, comparisons, + -, * / % mod, ^.
jsep.removeAllUnaryOps();
jsep.removeAllBinaryOps();
for (const op of ['-', '+', 'not']) jsep.addUnaryOp(op);
const PRECEDENCE: Readonly<Record<string, number>> = { or: 1, xor: 2, and: 3, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6, mod: 6, '^': 7 };
const COMPARE_OPS = new Set<string>(['==', '!=', '<', '<=', '>', '>=']);
for (const [op, precedence] of Object.entries(PRECEDENCE)) jsep.addBinaryOp(op, precedence, op === '^');
for (const op of COMPARE_OPS) jsep.addBinaryOp(op, 4);

/** Every character outside these is refused before parsing: no strings, arrays, objects, ';' or unicode names reach jsep. */
const OUTSIDE = /[^A-Za-z0-9_\s.=!<>+\-*/%^(),?:]/;
const NUMBER = /(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/y;
const NAME = /[A-Za-z_]\w*/y;
const TOKEN = new RegExp(`${NUMBER.source}|${NAME.source}|[<>=!]=|[^]`, 'y');
/** A node of ours: mathjs's precedence needs to know where the parentheses were (see toNode). */
const PAREN = 'Paren';

// The helpers below read jsep's text: the expression and one space (see parseReward), which counts as its end.
const found = (text: string, i: number): string => {
  TOKEN.lastIndex = i;
  return i >= text.length - 1 ? 'end of expression' : `'${TOKEN.exec(text)?.[0]}'`;
};
const position = (text: string, i: number): number => Math.min(i, text.length - 1) + 1;
function unexpected(text: string, i: number): RewardSyntaxError {
  // '.' exists only in numbers, '!' and '=' only in '!=' and '=='; alone they are characters the language lacks.
  const next = text[i + 1] ?? '';
  const alone = (text[i] === '.' && !/\d/.test(next)) || ((text[i] === '!' || text[i] === '=') && next !== '=');
  return new RewardSyntaxError(`unexpected ${alone ? 'character ' : ''}${found(text, i)} at position ${position(text, i)}`);
}
function expression(p: jsep.HookScope): jsep.Expression {
  const node = p.gobbleExpression();
  if (!node) throw unexpected(p.expr, p.index);
  return node;
}
/** The next character (a function: TypeScript would hold on to what an earlier test narrowed p.char to). */
const peek = (p: jsep.HookScope): string => p.char;
const expected = (ch: string, text: string, i: number): RewardSyntaxError =>
  new RewardSyntaxError(`expected '${ch}' at position ${position(text, i)}, found ${found(text, i)}`);
function expect(p: jsep.HookScope, ch: string): void {
  if (peek(p) !== ch) throw expected(ch, p.expr, p.index);
  p.index++;
}

// Each gobbleExpression is a level: the whole input, and what parentheses, arguments and ?: branches
// hold. jsep recurses deeply for each (a 1000-character input can exhaust the stack), so they are
// bounded while parsing; each is also a level of the tree (see toNode), so this refuses nothing more.
const levels = new WeakMap<jsep.HookScope, number>();
jsep.hooks.add('gobble-expression', function level(env) {
  const level = (levels.get(this) ?? 0) + 1;
  if (level > MAX_DEPTH + 1) throw tooDeep();
  levels.set(this, level);
  if (level > 1) return;
  // The whole input is one expression: jsep would read 'a b' or 'a, b' as a list, and skip a leading or trailing ','.
  if (this.index > 0) throw unexpected(this.expr, this.expr.indexOf(','));
  const node = expression(this);
  if (this.index < this.expr.length) throw unexpected(this.expr, this.index);
  env.node = node;
});
jsep.hooks.add('after-expression', function levelDone() {
  levels.set(this, (levels.get(this) ?? 1) - 1);
});

// Operands are read here, not by jsep, which would also take member access (a.b, a?.b), calls of
// anything (f(1)(2)), space-separated arguments, this, true and null, and refuse '2mod 3'.
jsep.hooks.add('gobble-token', function operand(env) {
  if (this.char === '(') {
    this.index++;
    env.node = { type: PAREN, expression: expression(this) };
    expect(this, ')');
    return;
  }
  NUMBER.lastIndex = this.index;
  const num = NUMBER.exec(this.expr)?.[0];
  if (num !== undefined) {
    this.index += num.length;
    env.node = { type: 'Literal', value: Number(num), raw: num };
    return;
  }
  if (this.char === '.') throw unexpected(this.expr, this.index);
  NAME.lastIndex = this.index;
  const name = NAME.exec(this.expr)?.[0];
  if (name === undefined || name === 'not') return; // an operator: jsep's
  if (name === 'and' || name === 'or' || name === 'xor') throw unexpected(this.expr, this.index);
  this.index += name.length;
  this.gobbleSpaces();
  if (this.char !== '(') {
    env.node = { type: 'Identifier', name };
    return;
  }
  this.index++;
  this.gobbleSpaces();
  const args: jsep.Expression[] = [];
  if (peek(this) !== ')') {
    args.push(expression(this));
    while (peek(this) === ',') {
      this.index++;
      args.push(expression(this));
    }
  }
  expect(this, ')');
  env.node = { type: 'CallExpression', callee: { type: 'Identifier', name }, arguments: args };
});

/** jsep's tree as a RewardNode; every level counts towards MAX_DEPTH (parentheses too), so this recursion is bounded. */
function toNode(e: jsep.Expression, depth: number): RewardNode {
  if (depth > MAX_DEPTH) throw tooDeep();
  const sub = (x: jsep.Expression): RewardNode => toNode(x, depth + 1);
  switch (e.type) {
    case PAREN:
      return sub(e.expression as jsep.Expression);
    case 'Literal': // only numbers: see operand()
      return { kind: 'num', value: e.value as number };
    case 'Identifier':
      return { kind: 'name', name: e.name as string };
    case 'CallExpression': {
      const call = e as jsep.CallExpression;
      return { kind: 'call', name: (call.callee as jsep.Identifier).name, args: call.arguments.map(sub) };
    }
    case 'UnaryExpression':
      return { kind: 'unary', op: e.operator as '-' | '+' | 'not', arg: sub(e.argument as jsep.Expression) };
    case 'ConditionalExpression': {
      const cond = e as jsep.ConditionalExpression;
      return { kind: 'cond', test: sub(cond.test), then: sub(cond.consequent), else: sub(cond.alternate) };
    }
    case 'BinaryExpression': {
      const { operator: op, left, right } = e as jsep.BinaryExpression;
      // jsep binds a unary operator tighter than the ^ after it; mathjs the other way round: -2^2 is -(2^2).
      if (op === '^' && left.type === 'UnaryExpression') {
        const u = left as jsep.UnaryExpression;
        return toNode({ ...u, argument: { type: 'BinaryExpression', operator: op, left: u.argument, right } }, depth);
      }
      if (COMPARE_OPS.has(op)) {
        // a < b < c is a chain (a < b and b < c), as in mathjs; (a < b) < c compares a comparison.
        const l = sub(left);
        const chained = l.kind === 'compare' && left.type === 'BinaryExpression';
        return { kind: 'compare', ops: [...(chained ? l.ops : []), op as CompareOp], args: [...(chained ? l.args : [l]), sub(right)] };
      }
      return { kind: 'binary', op: op === 'mod' ? '%' : (op as BinaryOp), left: sub(left), right: sub(right) };
    }
  }
  throw new RewardSyntaxError(`${e.type} is not part of the reward language`);
}

/** Parses a reward expression; throws RewardSyntaxError naming what is wrong and where. */
export function parseReward(src: string): RewardNode {
  if (src.length > MAX_LENGTH) throw new RewardSyntaxError(`expression is ${src.length} characters long; at most ${MAX_LENGTH}`);
  const bad = OUTSIDE.exec(src);
  if (bad) throw new RewardSyntaxError(`unexpected character '${bad[0]}' at position ${bad.index + 1}`);
  // jsep skips only these four white spaces, and reads a word operator at the very end as a name ('a mod'): hence the space.
  const text = `${src.replace(/[^\S\t\n\r]/g, ' ')} `;
  let tree: jsep.Expression;
  try {
    tree = jsep(text);
  } catch (e) {
    // jsep's own errors (an operator without an operand, ?: without :) carry the index and a description.
    const { index, description } = e as { index?: unknown; description?: unknown };
    if (e instanceof RewardSyntaxError || typeof index !== 'number') throw e;
    throw description === 'Expected :' ? expected(':', text, index) : unexpected(text, index);
  }
  // An empty input is an empty list; anything else is one expression (see level()).
  if (tree.type === 'Compound') throw unexpected(text, text.length);
  return toNode(tree, 1);
}
