import { StoreError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import type { EngineCheckpoint, ReevaluationRecord, RungRecord, TrialRecord, TrialStatus } from '../core/trial.js';

// Row <-> record conversion of the SQLite store. Reading checks every column, so a damaged row (edited
// by hand, or written by a broken version) is reported with the store, table, row and column instead
// of crashing whatever reads it.

export interface TrialRow {
  number: number;
  status: TrialStatus;
  choices: string;
  genotype: string;
  key: string;
  metrics: string | null;
  reward: number | null;
  seed: number;
  started_at: number;
  finished_at: number | null;
  error: string | null;
  cached_from: number | null;
  info: string | null;
  /** Absent in version-1 stores opened read-only. */
  resource?: number | null;
}

export interface RungRow {
  trial: number;
  resource: number;
  metrics: string | null;
  reward: number | null;
  error: string | null;
  finished_at: number;
}

export type ReevaluationRow = Omit<RungRow, 'resource'> & { seed: number };

const STATUSES: readonly TrialStatus[] = ['running', 'complete', 'failed', 'cached', 'stopped'];

/** Reads the columns of one row, naming it in every complaint. */
class RowReader {
  constructor(
    private readonly store: string,
    private readonly what: string,
  ) {}

  fail(column: string, detail: string): never {
    throw new StoreError(`store '${this.store}' is damaged: ${this.what}, column ${column}: ${detail}`);
  }

  json(column: string, text: unknown): JsonValue {
    if (typeof text !== 'string') this.fail(column, `expected JSON text, got ${text === null ? 'NULL' : typeof text}`);
    try {
      return JSON.parse(text) as JsonValue;
    } catch (e) {
      return this.fail(column, `malformed JSON (${(e as Error).message})`);
    }
  }

  optionalJson(column: string, text: unknown): JsonValue | null {
    return text === null ? null : this.json(column, text);
  }

  int(column: string, v: unknown): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) this.fail(column, `expected an integer, got ${JSON.stringify(v)}`);
    return v;
  }

  num(column: string, v: unknown): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(column, `expected a number, got ${JSON.stringify(v)}`);
    return v;
  }

  orNull<T>(v: unknown, read: (v: unknown) => T): T | null {
    return v === null || v === undefined ? null : read(v);
  }

  text(column: string, v: unknown): string {
    if (typeof v !== 'string') this.fail(column, `expected text, got ${JSON.stringify(v)}`);
    return v;
  }

  metrics(column: string, text: unknown): Record<string, number> | null {
    const m = this.optionalJson(column, text);
    if (m === null) return null;
    if (typeof m !== 'object' || Array.isArray(m) || Object.values(m).some((v) => typeof v !== 'number')) this.fail(column, 'expected a record of numbers');
    return m as Record<string, number>;
  }
}

export function toTrialRow(t: TrialRecord): TrialRow {
  return {
    number: t.number,
    status: t.status,
    choices: JSON.stringify(t.choices),
    genotype: JSON.stringify(t.genotype),
    key: t.key,
    metrics: t.metrics === null ? null : JSON.stringify(t.metrics),
    reward: t.reward,
    seed: t.seed,
    started_at: t.startedAt,
    finished_at: t.finishedAt,
    error: t.error,
    cached_from: t.cachedFrom,
    info: t.info === null ? null : JSON.stringify(t.info),
    resource: t.resource ?? null,
  };
}

export function fromTrialRow(store: string, r: TrialRow): TrialRecord {
  const c = new RowReader(store, `trials row ${String(r.number)}`);
  const number = c.int('number', r.number);
  if (!STATUSES.includes(r.status)) c.fail('status', `unknown status ${JSON.stringify(r.status)}`);
  const choices = c.json('choices', r.choices);
  if (!Array.isArray(choices) || choices.some((x) => typeof x !== 'number' || !Number.isInteger(x))) c.fail('choices', 'expected an array of integers');
  const resource = c.orNull(r.resource, (v) => c.num('resource', v));
  return {
    number,
    status: r.status,
    choices: choices as number[],
    genotype: c.json('genotype', r.genotype),
    key: c.text('key', r.key),
    metrics: c.metrics('metrics', r.metrics),
    reward: c.orNull(r.reward, (v) => c.num('reward', v)),
    seed: c.int('seed', r.seed),
    startedAt: c.num('started_at', r.started_at),
    finishedAt: c.orNull(r.finished_at, (v) => c.num('finished_at', v)),
    error: c.orNull(r.error, (v) => c.text('error', v)),
    cachedFrom: c.orNull(r.cached_from, (v) => c.int('cached_from', v)),
    info: c.optionalJson('info', r.info),
    ...(resource !== null ? { resource } : {}),
  };
}

export function toRungRow(r: RungRecord): RungRow {
  return { trial: r.trial, resource: r.resource, metrics: r.metrics === null ? null : JSON.stringify(r.metrics), reward: r.reward, error: r.error, finished_at: r.finishedAt };
}

/** The outcome columns rungs and re-evaluations share. */
function outcome(c: RowReader, r: ReevaluationRow | RungRow) {
  return {
    trial: c.int('trial', r.trial),
    metrics: c.metrics('metrics', r.metrics),
    reward: c.orNull(r.reward, (v) => c.num('reward', v)),
    error: c.orNull(r.error, (v) => c.text('error', v)),
    finishedAt: c.num('finished_at', r.finished_at),
  };
}

export function fromRungRow(store: string, r: RungRow): RungRecord {
  const c = new RowReader(store, `rungs row (trial ${String(r.trial)}, resource ${String(r.resource)})`);
  return { ...outcome(c, r), resource: c.num('resource', r.resource) };
}

export function fromReevaluationRow(store: string, r: ReevaluationRow): ReevaluationRecord {
  const c = new RowReader(store, `reevaluations row (trial ${String(r.trial)}, seed ${String(r.seed)})`);
  return { ...outcome(c, r), seed: c.int('seed', r.seed) };
}

const isIntArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => Number.isSafeInteger(x));

/** The engine's checkpoint from its row: the fields every engine reads must have their types. */
export function fromCheckpointRow(store: string, id: number, state: unknown): EngineCheckpoint {
  const c = new RowReader(store, `checkpoints row ${id}`);
  const ck = c.json('state', state);
  if (typeof ck !== 'object' || ck === null || Array.isArray(ck)) return c.fail('state', 'expected a JSON object');
  if (!('strategy' in ck)) c.fail('state', 'no strategy state');
  if (!Number.isSafeInteger(ck.nextTrial) || (ck.nextTrial as number) < 0) c.fail('state', 'nextTrial is not a non-negative integer');
  if (!isIntArray(ck.pending)) c.fail('state', 'pending is not an array of trial numbers');
  if (typeof ck.elapsedMs !== 'number' || !(ck.elapsedMs >= 0)) c.fail('state', 'elapsedMs is not a non-negative number');
  const running = ck.running;
  if (running !== undefined && !(Array.isArray(running) && running.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r) && Number.isSafeInteger(r.trial) && typeof r.resource === 'number'))) {
    c.fail('state', 'running is not a list of {trial, resource}');
  }
  return ck as unknown as EngineCheckpoint;
}

/** The experiment row's config: a JSON object. */
export function configFromRow(store: string, text: unknown): JsonValue {
  const c = new RowReader(store, 'experiment row');
  const config = c.json('config', text);
  if (typeof config !== 'object' || config === null || Array.isArray(config)) c.fail('config', 'expected a JSON object');
  return config;
}
