import { ConfigError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Parses `key=value` pairs (from repeatable flags) into an options object. Values stay strings
 * unless they are JSON literals (numbers, booleans, null); option specs coerce them further.
 */
export function parseKeyValues(flag: string, pairs: readonly string[] = []): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ConfigError(flag, `expected key=value, got '${pair}'`);
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1);
    out[key] = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)$/.test(raw.trim()) ? (JSON.parse(raw.trim()) as JsonValue) : raw;
  }
  return out;
}

/** Parses a positive integer flag. */
export function intFlag(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 0) throw new ConfigError(flag, `expected a non-negative integer, got '${raw}'`);
  return v;
}

/** Parses a positive number flag. */
export function numFlag(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0) throw new ConfigError(flag, `expected a positive number, got '${raw}'`);
  return v;
}
