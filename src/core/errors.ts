/** Marks tsnas's errors in every copy of tsnas: a plugin that bundles its own copy throws its own classes. */
const BRAND = Symbol.for('tsnas.error');

/** Base class of the errors tsnas reports to users: the CLI prints their message and exits non-zero. */
export class TsnasError extends Error {
  declare readonly [BRAND]: true;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
Object.defineProperty(TsnasError.prototype, BRAND, { value: true });

/** Class names of copies of tsnas that predate the brand. */
const NAMES = new Set(['TsnasError', 'GenotypeError', 'ConfigError', 'UnknownComponentError', 'DataError', 'StoreError', 'ExecutorError', 'ReportedError']);

/**
 * Whether `e` is a tsnas error of this copy or of another one (`instanceof` sees only this copy's
 * classes); `name` narrows it to one class, e.g. 'ReportedError'.
 */
export function isTsnasError(e: unknown, name?: string): e is TsnasError {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as { [BRAND]?: unknown; name?: unknown; message?: unknown };
  const ours = err[BRAND] === true || (typeof err.name === 'string' && NAMES.has(err.name) && typeof err.message === 'string');
  return ours && (name === undefined || err.name === name);
}

/** A genotype or decision vector that is not a point of its search space; `field` names the bad part. */
export class GenotypeError extends TsnasError {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`invalid genotype: ${field}: ${detail}`);
  }
}

/** Invalid configuration or command-line input; `field` names the offending option. */
export class ConfigError extends TsnasError {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`invalid config: ${field}: ${detail}`);
  }
}

/** A name that is not in a registry (unknown strategy, space, evaluator, ...). */
export class UnknownComponentError extends TsnasError {
  constructor(kind: string, name: string, known: readonly string[]) {
    super(`unknown ${kind} '${name}'; known: ${known.length ? known.join(', ') : '(none)'}`);
  }
}

/** Missing or malformed data (dataset path, table file). */
export class DataError extends TsnasError {}

/** Stored experiment state that cannot be used (missing, or incompatible with the requested run). */
export class StoreError extends TsnasError {}

/**
 * The executor can run no evaluation at all (no worker can start, a worker's setup failed or hung): not
 * the architecture's fault, so the search stops and the trials in flight stay `running` for a resume.
 */
export class ExecutorError extends TsnasError {}

/** A failure whose details were already printed (e.g. `tsnas list` with unreadable stores): exit 2, nothing more to say. */
export class ReportedError extends TsnasError {}
