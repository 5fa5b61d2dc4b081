import { ConfigError } from './errors.js';
import type { JsonValue } from './json.js';

/** Declares one option of a component (strategy, evaluator, space): type, default, bounds, help. */
export type OptionSpec =
  | { type: 'number' | 'integer'; default: number; min?: number; max?: number; help: string }
  | { type: 'string'; default: string; choices?: readonly string[]; help: string }
  | { type: 'optional-string'; help: string }
  | { type: 'boolean'; default: boolean; help: string };

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

type ValueOf<S extends OptionSpec> = S extends { type: 'number' | 'integer' }
  ? number
  : S extends { type: 'boolean' }
    ? boolean
    : S extends { type: 'optional-string' }
      ? string | undefined
      : string;

/** The typed option values a spec resolves to. */
export type OptionValues<S extends OptionSpecs> = { [K in keyof S]: ValueOf<S[K]> };

/**
 * Validates user-given options (from JSON config or `key=value` flags, so strings are coerced)
 * against a spec, filling defaults. Unknown keys and bad values raise ConfigError naming them.
 */
export function resolveOptions<S extends OptionSpecs>(owner: string, specs: S, given: Readonly<Record<string, unknown>> = {}): OptionValues<S> {
  for (const key of Object.keys(given)) {
    if (!(key in specs)) {
      const known = Object.keys(specs);
      throw new ConfigError(`${owner}.${key}`, `unknown option; known: ${known.length ? known.join(', ') : '(none)'}`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const field = `${owner}.${key}`;
    const raw = given[key];
    if (raw === undefined) {
      out[key] = 'default' in spec ? spec.default : undefined;
      continue;
    }
    out[key] = coerce(field, spec, raw);
  }
  return out as OptionValues<S>;
}

/**
 * Checks the declared options among `given` and ignores the rest: for a component that takes options
 * beyond its declared ones (an evaluator passes a dataset's `data.KEY` or bare keys on to the dataset,
 * which checks them when it is created), so a check made before `create` refuses only what is wrong.
 */
export function checkDeclaredOptions(owner: string, specs: OptionSpecs, given: Readonly<Record<string, unknown>> = {}): void {
  resolveOptions(owner, specs, Object.fromEntries(Object.entries(given).filter(([key]) => key in specs)));
}

/** A number as a person writes one in decimal (no '0x10', no '' that Number() would read as 0). */
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function coerce(field: string, spec: OptionSpec, raw: unknown): unknown {
  switch (spec.type) {
    case 'number':
    case 'integer': {
      const v = typeof raw === 'string' && DECIMAL.test(raw.trim()) ? Number(raw) : raw;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(field, `expected a number, got ${JSON.stringify(raw)}`);
      if (spec.type === 'integer' && !Number.isSafeInteger(v)) throw new ConfigError(field, `expected an integer${Number.isInteger(v) ? ` of at most ${Number.MAX_SAFE_INTEGER}` : ''}, got ${v}`);
      if (spec.min !== undefined && v < spec.min) throw new ConfigError(field, `must be >= ${spec.min}, got ${v}`);
      if (spec.max !== undefined && v > spec.max) throw new ConfigError(field, `must be <= ${spec.max}, got ${v}`);
      return v;
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      throw new ConfigError(field, `expected true or false, got ${JSON.stringify(raw)}`);
    }
    case 'string':
    case 'optional-string': {
      if (typeof raw !== 'string') throw new ConfigError(field, `expected a string, got ${JSON.stringify(raw)}`);
      if (spec.type === 'string' && spec.choices && !spec.choices.includes(raw)) {
        throw new ConfigError(field, `must be one of ${spec.choices.join(', ')}, got '${raw}'`);
      }
      return raw;
    }
  }
}

/**
 * Options typed on the command line (strings) coerced by their specs, so they are stored as a config
 * file would give them (`population=20` as 20, `path=2024` as the string '2024'). A key without a spec
 * is left to its component to judge, with numbers, booleans and null read as such.
 */
export function normalizeFlagOptions(owner: string, specs: OptionSpecs, given: Readonly<Record<string, string>>): Record<string, JsonValue> {
  return Object.fromEntries(
    Object.entries(given).map(([key, raw]) => {
      const spec = specs[key];
      if (spec) return [key, coerce(`${owner}.${key}`, spec, raw) as JsonValue];
      return [key, flagLiteral(raw)];
    }),
  );
}

/**
 * A flag value read as a JSON literal when it is one (numbers, booleans, null: how `key=value` flags
 * were always read for components without a spec), otherwise the text as it is ('007' stays text).
 */
export function flagLiteral(raw: string): JsonValue {
  const t = raw.trim();
  if (!/^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)$/.test(t)) return raw;
  try {
    return JSON.parse(t) as JsonValue;
  } catch {
    return raw;
  }
}

/** One line per option, for `--help` and `tsnas list-components`. */
export function describeOptions(specs: OptionSpecs): string[] {
  return Object.entries(specs).map(([key, s]) => {
    const def = 'default' in s ? ` (default ${JSON.stringify(s.default)})` : '';
    const range = 'min' in s || 'max' in s ? ` [${(s as { min?: number }).min ?? ''}..${(s as { max?: number }).max ?? ''}]` : '';
    const choices = 'choices' in s && s.choices ? ` {${s.choices.join('|')}}` : '';
    return `${key}: ${s.type}${range}${choices}${def} — ${s.help}`;
  });
}
