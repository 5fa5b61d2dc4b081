// The reward language: numbers, metric names, + - * / % ^, comparisons, and/or/xor/not, c ? a : b and
// calls of a fixed set of scalar functions, with mathjs's syntax and precedence. A closed grammar
// parsed by hand: no way to reach anything but arithmetic, bounded in length and depth so that no
// input can exhaust the stack or memory, and no 750 ms mathjs import in every process.

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

interface Token {
  readonly type: 'num' | 'id' | 'op' | 'end';
  readonly text: string;
  readonly at: number;
}

const OPS = ['==', '!=', '<=', '>=', '<', '>', '+', '-', '*', '/', '%', '^', '(', ')', ',', '?', ':'];
const WORD_OPS = new Set(['and', 'or', 'xor', 'not', 'mod']);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(src.slice(i, i + 64));
    if (num) {
      out.push({ type: 'num', text: num[0], at: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 200));
    if (id) {
      // `mod` is an operator after an operand (a mod b) and otherwise a function (mod(a, b)), as in mathjs.
      const prev = out[out.length - 1];
      const afterOperand = prev !== undefined && (prev.type === 'num' || prev.type === 'id' || prev.text === ')');
      out.push({ type: WORD_OPS.has(id[0]) && (id[0] !== 'mod' || afterOperand) ? 'op' : 'id', text: id[0], at: i });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new RewardSyntaxError(`unexpected character '${c}' at position ${i + 1}`);
    out.push({ type: 'op', text: op, at: i });
    i += op.length;
  }
  out.push({ type: 'end', text: '', at: src.length });
  return out;
}

const depthOf = (n: RewardNode): number => {
  switch (n.kind) {
    case 'num':
    case 'name':
      return 1;
    case 'unary':
      return 1 + depthOf(n.arg);
    case 'binary':
      return 1 + Math.max(depthOf(n.left), depthOf(n.right));
    case 'call':
    case 'compare':
      return 1 + Math.max(0, ...n.args.map(depthOf));
    case 'cond':
      return 1 + Math.max(depthOf(n.test), depthOf(n.then), depthOf(n.else));
  }
};

/** Parses a reward expression; throws RewardSyntaxError naming what is wrong and where. */
export function parseReward(src: string): RewardNode {
  if (src.length > MAX_LENGTH) throw new RewardSyntaxError(`expression is ${src.length} characters long; at most ${MAX_LENGTH}`);
  const tokens = tokenize(src);
  let pos = 0;
  let nesting = 0;
  const peek = () => tokens[pos] as Token;
  const next = () => tokens[pos++] as Token;
  const isOp = (...ops: string[]) => peek().type === 'op' && ops.includes(peek().text);
  const expect = (text: string) => {
    const t = next();
    if (t.type !== 'op' || t.text !== text) throw new RewardSyntaxError(`expected '${text}' at position ${t.at + 1}, found ${describe(t)}`);
  };
  // Every node deeper than MAX_DEPTH is refused while parsing, so neither the parser nor an evaluation recurses far.
  const node = (n: RewardNode): RewardNode => {
    if (depthOf(n) > MAX_DEPTH) throw new RewardSyntaxError(`expression is nested more than ${MAX_DEPTH} levels deep`);
    return n;
  };
  const nested = <T>(parse: () => T): T => {
    if (++nesting > MAX_DEPTH) throw new RewardSyntaxError(`expression is nested more than ${MAX_DEPTH} levels deep`);
    try {
      return parse();
    } finally {
      nesting--;
    }
  };

  const conditional = (): RewardNode =>
    nested(() => {
      const test = logical(0);
      if (!isOp('?')) return test;
      next();
      const then = conditional();
      expect(':');
      return node({ kind: 'cond', test, then, else: conditional() });
    });
  const LOGICAL: BinaryOp[] = ['or', 'xor', 'and'];
  const logical = (level: number): RewardNode => {
    if (level === LOGICAL.length) return comparison();
    const op = LOGICAL[level] as BinaryOp;
    let left = logical(level + 1);
    while (isOp(op)) {
      next();
      left = node({ kind: 'binary', op, left, right: logical(level + 1) });
    }
    return left;
  };
  const comparison = (): RewardNode => {
    const args = [additive()];
    const ops: CompareOp[] = [];
    while (isOp('==', '!=', '<', '<=', '>', '>=')) {
      ops.push(next().text as CompareOp);
      args.push(additive());
    }
    return ops.length === 0 ? (args[0] as RewardNode) : node({ kind: 'compare', ops, args });
  };
  const additive = (): RewardNode => {
    let left = multiplicative();
    while (isOp('+', '-')) {
      const op = next().text as BinaryOp;
      left = node({ kind: 'binary', op, left, right: multiplicative() });
    }
    return left;
  };
  const multiplicative = (): RewardNode => {
    let left = unary();
    while (isOp('*', '/', '%', 'mod')) {
      const t = next().text;
      left = node({ kind: 'binary', op: t === 'mod' ? '%' : (t as BinaryOp), left, right: unary() });
    }
    return left;
  };
  const unary = (): RewardNode =>
    nested(() => {
      if (isOp('-', '+', 'not')) {
        const op = next().text as '-' | '+' | 'not';
        return node({ kind: 'unary', op, arg: unary() });
      }
      return power();
    });
  const power = (): RewardNode => {
    const base = primary();
    if (!isOp('^')) return base;
    next();
    return node({ kind: 'binary', op: '^', left: base, right: unary() });
  };
  const primary = (): RewardNode => {
    const t = next();
    if (t.type === 'num') return { kind: 'num', value: Number(t.text) };
    if (t.type === 'id') {
      if (!isOp('(')) return { kind: 'name', name: t.text };
      next();
      const args: RewardNode[] = [];
      if (!isOp(')')) {
        args.push(conditional());
        while (isOp(',')) {
          next();
          args.push(conditional());
        }
      }
      expect(')');
      return node({ kind: 'call', name: t.text, args });
    }
    if (t.type === 'op' && t.text === '(') {
      const inner = conditional();
      expect(')');
      return inner;
    }
    throw new RewardSyntaxError(`unexpected ${describe(t)} at position ${t.at + 1}`);
  };

  const tree = conditional();
  const rest = peek();
  if (rest.type !== 'end') throw new RewardSyntaxError(`unexpected ${describe(rest)} at position ${rest.at + 1}${rest.text === ';' ? ' (one expression only)' : ''}`);
  return tree;
}

function describe(t: Token): string {
  return t.type === 'end' ? 'end of expression' : `'${t.text}'`;
}
