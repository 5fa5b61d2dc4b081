import { ConfigError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import { flagLiteral } from '../core/options.js';

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Parses `key=value` pairs (from repeatable flags) into an options object of the text typed: the
 * component's option specs coerce it (see normalizeFlagOptions), so a string option keeps exactly what
 * was typed (`path=2024`).
 */
export function parseKeyStrings(flag: string, pairs: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ConfigError(flag, `expected key=value, got '${pair}'`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
  }
  return out;
}

/**
 * `label.key=value` flags (`--strategy-opt evolution.population=20`) grouped by label, each group's
 * `key=value` text in the order given; a label not in `labels` is refused.
 */
export function labelledPairs(flag: string, opts: readonly string[], labels: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const opt of opts) {
    const dot = opt.indexOf('.');
    const label = opt.slice(0, dot);
    if (dot <= 0 || !labels.includes(label)) throw new ConfigError(flag, `expected <label>.<key>=<value> with a label of --strategies (${labels.join(', ')}), got '${opt}'`);
    groups.set(label, [...(groups.get(label) ?? []), opt.slice(dot + 1)]);
  }
  return groups;
}

/** The same pairs with JSON literals (numbers, booleans, null) read as such: for callers without option specs. */
export function parseKeyValues(flag: string, pairs: readonly string[] = []): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(parseKeyStrings(flag, pairs)).map(([k, v]) => [k, flagLiteral(v)]));
}

/** Parses a non-negative integer flag: decimal digits only (no '0x3', '1e3' or ''), at most 2^53 - 1. */
export function intFlag(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(v)) {
    throw new ConfigError(flag, /^\d+$/.test(raw) ? `${raw} is too large (at most ${Number.MAX_SAFE_INTEGER})` : `expected a non-negative integer, got '${raw}'`);
  }
  return v;
}

/** Parses a positive decimal number flag (digits, an optional fraction and exponent). */
export function numFlag(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!/^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw) || !Number.isFinite(v) || v <= 0) throw new ConfigError(flag, `expected a positive number, got '${raw}'`);
  return v;
}
