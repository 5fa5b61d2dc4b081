import { TsnasError } from '../core/errors.js';

/** A backend that cannot load here; `reason` is the short form that 'auto' reports. */
export class BackendUnavailable extends TsnasError {
  constructor(readonly reason: string, hint: string) {
    super(`backend ${reason} is unavailable: ${hint}`);
  }
}

/** Whether `e` is the import failure of a package that is not installed. */
export function isMissing(e: unknown, pkg: string): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message(e).includes(pkg);
}

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
