import { inspect } from 'node:util';

/**
 * One line saying what was thrown: an Error's message, a string as is, anything else (a plugin may
 * throw `{ code: 7 }`) in a short inspected form rather than `[object Object]`.
 */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  if (typeof e === 'string') return e;
  return `threw ${inspect(e, { depth: 2, breakLength: Infinity, maxArrayLength: 10, maxStringLength: 200 })}`;
}
