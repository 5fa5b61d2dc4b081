import { TsnasError } from './errors.js';

/**
 * Throws a TsnasError naming the first part of `value` that JSON would not give back as it is: NaN or
 * Infinity (stored as null), a Map or Set (stored as {}), undefined, a function, a cycle. Strategy and
 * scheduler states must survive a checkpoint exactly, or a resume continues from something else.
 */
export function checkJson(value: unknown, what: string): void {
  function fail(path: string, detail: string): never {
    throw new TsnasError(`${what} is not JSON: ${path} ${detail}`);
  }
  const ancestors = new Set<object>();
  const visit = (v: unknown, path: string, depth: number): void => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) fail(path, `is ${v}, which JSON stores as null`);
      return;
    }
    if (typeof v !== 'object' || v === undefined) return fail(path, `is ${v === undefined ? 'undefined' : `a ${typeof v}`}, which JSON cannot store`);
    if (depth > 200) fail(path, 'is nested more than 200 levels deep');
    if (ancestors.has(v)) fail(path, 'refers back to itself (a cycle)');
    const proto = Object.getPrototypeOf(v) as unknown;
    const isArray = Array.isArray(v);
    if (!isArray && proto !== Object.prototype && proto !== null) fail(path, `is a ${(v as object).constructor?.name ?? 'non-plain object'}, which JSON does not store as it is`);
    ancestors.add(v);
    if (isArray) (v as unknown[]).forEach((x, i) => visit(x, `${path}[${i}]`, depth + 1));
    else for (const [k, x] of Object.entries(v)) visit(x, `${path}.${k}`, depth + 1);
    ancestors.delete(v);
  };
  visit(value, 'state', 0);
}
