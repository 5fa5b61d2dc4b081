import { availableParallelism } from 'node:os';
import { ConfigError } from '../core/errors.js';
import { resolveOptions, type OptionSpecs } from '../core/options.js';

export const EXECUTORS = ['inline', 'pool', 'queue'] as const;
export type ExecutorName = (typeof EXECUTORS)[number];

/** Node clamps longer timers to 1 ms, which would fail every trial at once. */
export const MAX_TIMEOUT_SECONDS = 2_147_483;
/** Below this a worker cannot even load its modules (it dies before its first task). */
export const MIN_WORKER_MEMORY_MB = 32;
/** More workers than this per core only add memory (each is a V8 isolate) and contention. */
export const WORKERS_PER_CORE = 4;

/** Options of the pool executor; 0 means "not set" so that string flags coerce through the option specs. */
export const POOL_OPTIONS = {
  workers: { type: 'integer', default: 0, min: 0, help: `worker threads (0: one per core; at most ${WORKERS_PER_CORE} per core)` },
  trialTimeoutSeconds: { type: 'number', default: 0, min: 0, max: MAX_TIMEOUT_SECONDS, help: 'fail a trial that runs longer (0: no limit)' },
  setupTimeoutSeconds: { type: 'number', default: 0, min: 0, max: MAX_TIMEOUT_SECONDS, help: "stop the search if a worker's one-time setup takes longer (0: the trial timeout)" },
  memoryLimitMb: { type: 'integer', default: 0, min: 0, help: `V8 heap limit of each worker in MB (0: Node default; else at least ${MIN_WORKER_MEMORY_MB})` },
} as const satisfies OptionSpecs;

/** The queue executor's workers enforce the pool's limits on each trial; their threads are theirs to choose. */
const { workers: _threads, ...QUEUE_OPTIONS } = POOL_OPTIONS;

const SPECS: Record<ExecutorName, OptionSpecs> = { inline: {}, pool: POOL_OPTIONS, queue: QUEUE_OPTIONS };

/** Where evaluations run. Not part of an experiment's identity: a resume may change it. */
export interface ExecutorConfig {
  readonly name: ExecutorName;
  /** The options given (validated and coerced); defaults are filled by the executor. */
  readonly options: Readonly<Record<string, number>>;
}

export function parseExecutorConfig(raw: unknown): ExecutorConfig {
  if (raw === undefined) return { name: 'inline', options: {} };
  const r = (typeof raw === 'string' ? { name: raw } : raw) as { name?: unknown; options?: unknown } | null;
  if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new ConfigError('executor', 'expected a name or {"name": ..., "options": {...}}');
  for (const k of Object.keys(r)) if (k !== 'name' && k !== 'options') throw new ConfigError(`executor.${k}`, 'unknown field; known: name, options');
  const name = r.name ?? 'inline';
  if (typeof name !== 'string' || !(EXECUTORS as readonly string[]).includes(name)) {
    throw new ConfigError('executor.name', `expected one of ${EXECUTORS.join(', ')}, got ${JSON.stringify(name)}`);
  }
  const given = r.options ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw new ConfigError('executor.options', 'expected an object');
  const specs = SPECS[name as ExecutorName];
  for (const k of Object.keys(given)) {
    if (!(k in specs) && k in POOL_OPTIONS) throw new ConfigError(`executor.options.${k}`, `only the pool executor${k in QUEUE_OPTIONS ? ' and the queue executor take' : ' takes'} this option, not '${name}'`);
  }
  const resolved = resolveOptions('executor.options', specs, given as Record<string, unknown>) as Record<string, number>;
  const memory = resolved.memoryLimitMb ?? 0;
  if (memory > 0 && memory < MIN_WORKER_MEMORY_MB) throw new ConfigError('executor.options.memoryLimitMb', `${memory} MB is too little for a worker to start; give at least ${MIN_WORKER_MEMORY_MB} (or 0 for Node's default)`);
  const most = WORKERS_PER_CORE * availableParallelism();
  if ((resolved.workers ?? 0) > most) throw new ConfigError('executor.options.workers', `${resolved.workers} workers on ${availableParallelism()} cores; at most ${most} (${WORKERS_PER_CORE} per core)`);
  const options = Object.fromEntries(Object.keys(given).map((k) => [k, resolved[k] as number]));
  return { name: name as ExecutorName, options };
}
