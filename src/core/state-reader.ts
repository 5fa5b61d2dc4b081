import type { JsonValue } from './json.js';
import type { RngState } from './rng.js';

type Json = JsonValue | undefined;

/**
 * A field of a strategy's state or proposal info that is missing or of the wrong type. Deliberately
 * not a TsnasError: the engine's restoreFrom wraps it into the StoreError that says the store is
 * damaged (or from another version), keeping this message as the reason.
 */
export class CorruptStateError extends Error {
  override readonly name = 'CorruptStateError';
}

const describe = (v: Json): string => (v === undefined ? 'nothing' : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : JSON.stringify(v));

/**
 * Typed reads of a JSON object a strategy handed across a boundary (its state() through a checkpoint,
 * a proposal's info through the store): each read checks its field and a bad one fails with
 * "<what>: field <name>: expected ..., got ..." instead of deep inside the strategy.
 */
export class JsonReader {
  private constructor(
    private readonly what: string,
    private readonly fields: Record<string, JsonValue>,
  ) {}

  /** A strategy state from a checkpoint. */
  static checkpoint(strategy: string, state: JsonValue): JsonReader {
    return JsonReader.of(`checkpoint of strategy ${strategy}`, state);
  }

  /** A proposal's info, or undefined when it has none (a proposal that carries nothing, or one stored before it did). */
  static info(strategy: string, info: JsonValue | undefined): JsonReader | undefined {
    return info === undefined || info === null ? undefined : JsonReader.of(`proposal info of strategy ${strategy}`, info);
  }

  private static of(what: string, value: Json): JsonReader {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CorruptStateError(`${what}: expected an object, got ${describe(value)}`);
    return new JsonReader(what, value);
  }

  private fail(key: string, expected: string): never {
    throw new CorruptStateError(`${this.what}: field ${key}: expected ${expected}, got ${describe(this.fields[key])}`);
  }

  has(key: string): boolean {
    return this.fields[key] !== undefined;
  }

  /** The field as it is, for a part that its own owner reads (e.g. a sub-component's state); it must be present. */
  raw(key: string): JsonValue {
    const v = this.fields[key];
    return v === undefined ? this.fail(key, 'a value') : v;
  }

  object(key: string): JsonReader {
    const v = this.fields[key];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.fail(key, 'an object');
    return new JsonReader(`${this.what}: field ${key}`, v);
  }

  number(key: string): number {
    const v = this.fields[key];
    return typeof v === 'number' && Number.isFinite(v) ? v : this.fail(key, 'a number');
  }

  /** A number, or null when the field is null or absent. */
  numberOrNull(key: string): number | null {
    return this.fields[key] === undefined || this.fields[key] === null ? null : this.number(key);
  }

  integer(key: string, min = 0): number {
    const v = this.fields[key];
    return Number.isInteger(v) && (v as number) >= min ? (v as number) : this.fail(key, `an integer >= ${min}`);
  }

  numbers(key: string): number[] {
    const v = this.fields[key];
    return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x)) ? (v as number[]).slice() : this.fail(key, 'an array of numbers');
  }

  /** Integers >= 0 (choices, slots, indices); an absent field reads as `fallback` when one is given. */
  integers(key: string, fallback?: number[]): number[] {
    const v = this.fields[key];
    if (v === undefined && fallback) return fallback.slice();
    return Array.isArray(v) && v.every((x) => Number.isInteger(x) && (x as number) >= 0) ? (v as number[]).slice() : this.fail(key, 'an array of integers >= 0');
  }

  strings(key: string): string[] {
    const v = this.fields[key];
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]).slice() : this.fail(key, 'an array of strings');
  }

  /** An array of objects, each read by `read`. */
  objects<T>(key: string, read: (item: JsonReader) => T): T[] {
    const v = this.fields[key];
    if (!Array.isArray(v)) return this.fail(key, 'an array');
    return v.map((item, i) => read(JsonReader.of(`${this.what}: field ${key}[${i}]`, item)));
  }

  /** A random generator's state (Alea: c, s0, s1, s2). */
  rng(key = 'rng'): RngState {
    const r = this.object(key);
    return { c: r.number('c'), s0: r.number('s0'), s1: r.number('s1'), s2: r.number('s2') };
  }
}
