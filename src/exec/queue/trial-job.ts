import { createHash } from 'node:crypto';
import { basename, isAbsolute, normalize } from 'node:path';
import { checkJson } from '../../core/check-json.js';
import { describeError } from '../../core/describe-error.js';
import type { EvaluationRequest } from '../../core/evaluator.js';
import type { JsonValue } from '../../core/json.js';
import { MAX_TIMEOUT_SECONDS, MIN_WORKER_MEMORY_MB } from '../../engine/executor-config.js';
import type { PluginIdentity } from './plugin-identity.js';

/** Version of the job payload: a worker refuses others (it cannot know what they mean). */
export const TRIAL_JOB_VERSION = 1;

/** Largest payload a worker reads (a genotype is a few KB; anything near this is not a tsnas job). */
export const MAX_PAYLOAD_BYTES = 1 << 20;

/** The pool limits a worker enforces for the trial, as the driver's `--trial-timeout` etc. set them (0: none). */
export interface TrialLimits {
  readonly trialTimeoutSeconds: number;
  readonly setupTimeoutSeconds: number;
  readonly memoryLimitMb: number;
}

/** A component by name and options, as in a run config. */
export interface JobComponent {
  readonly name: string;
  readonly options: Readonly<Record<string, JsonValue>>;
}

/** What goes on the queue for one evaluation: plain data only, checked field by field by the worker. */
export interface TrialJob {
  readonly v: typeof TRIAL_JOB_VERSION;
  readonly space: JobComponent;
  readonly evaluator: JobComponent;
  /** The driver's plugins: a worker runs the job only if its own plugins are the same files. */
  readonly plugins: readonly PluginIdentity[];
  readonly limits: TrialLimits;
  readonly request: Omit<EvaluationRequest, 'signal'>;
}

/** A payload a worker will not run; the trial fails with this message. */
export class BadPayloadError extends Error {
  constructor(detail: string) {
    super(`bad trial job payload: ${detail}`);
    this.name = 'BadPayloadError';
  }
}

/**
 * The job id: the trial number and a digest of everything that decides the result. A resumed driver
 * asks for the same trial again and gets the same id, so BullMQ hands it the job already queued,
 * running or finished instead of adding a second one; another experiment of the same name and config
 * would compute the same result, and anything else gets another id.
 */
export function trialJobId(job: TrialJob): string {
  const digest = createHash('sha256').update(JSON.stringify(job)).digest('hex').slice(0, 24);
  return `t${job.request.trial}-${digest}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function only(v: Record<string, unknown>, where: string, keys: readonly string[]): void {
  for (const k of Object.keys(v)) if (!keys.includes(k)) throw new BadPayloadError(`${where}.${k} is not a field of a trial job`);
}

function json(v: unknown, where: string): void {
  try {
    checkJson(v, where);
  } catch (e) {
    throw new BadPayloadError(describeError(e));
  }
}

function component(v: unknown, where: string): JobComponent {
  if (!isRecord(v)) throw new BadPayloadError(`${where} is not an object`);
  only(v, where, ['name', 'options']);
  if (typeof v.name !== 'string' || v.name === '' || v.name.length > 200) throw new BadPayloadError(`${where}.name is not a component name`);
  if (!isRecord(v.options)) throw new BadPayloadError(`${where}.options is not an object`);
  json(v.options, `${where}.options`);
  return { name: v.name, options: v.options as Record<string, JsonValue> };
}

function count(v: unknown, where: string, integer = true, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max || (integer && !Number.isInteger(v))) throw new BadPayloadError(`${where} is not a non-negative ${integer ? 'integer' : 'number'} up to ${max}`);
  return v;
}

function plugins(v: unknown): PluginIdentity[] {
  if (!Array.isArray(v) || v.length > 100) throw new BadPayloadError('plugins is not a list');
  return v.map((p, i) => {
    if (!isRecord(p) || typeof p.name !== 'string' || typeof p.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(p.sha256)) throw new BadPayloadError(`plugins[${i}] is not {name, sha256}`);
    return { name: p.name, sha256: p.sha256 };
  });
}

function request(v: unknown): TrialJob['request'] {
  if (!isRecord(v)) throw new BadPayloadError('request is not an object');
  only(v, 'request', ['trial', 'genotype', 'key', 'seed', 'fidelity']);
  const trial = count(v.trial, 'request.trial');
  if (typeof v.seed !== 'number' || !Number.isSafeInteger(v.seed)) throw new BadPayloadError('request.seed is not an integer');
  if (typeof v.key !== 'string' || v.key === '') throw new BadPayloadError('request.key is not a string');
  if (v.genotype === undefined) throw new BadPayloadError('request.genotype is missing');
  json(v.genotype, 'request.genotype');
  const out = { trial, genotype: v.genotype, key: v.key, seed: v.seed };
  if (v.fidelity === undefined) return out;
  if (!isRecord(v.fidelity)) throw new BadPayloadError('request.fidelity is not an object');
  only(v.fidelity, 'request.fidelity', ['resource', 'stateDir']);
  const resource = count(v.fidelity.resource, 'request.fidelity.resource', false);
  const dir = v.fidelity.stateDir;
  // The evaluator writes its checkpoints there: only the shape the engine gives it (<trials folder>/<trial>).
  if (dir !== undefined && (typeof dir !== 'string' || !isAbsolute(dir) || normalize(dir) !== dir || basename(dir) !== String(trial))) {
    throw new BadPayloadError(`request.fidelity.stateDir is not an absolute, normalized folder named after trial ${trial}`);
  }
  return { ...out, fidelity: { resource, ...(typeof dir === 'string' ? { stateDir: dir } : {}) } };
}

/**
 * Checks the shape of a job's data (it comes from Redis, which anyone with its password can write):
 * every field present with its type and nothing else. Names and options are checked again, against
 * the worker's registries and the components' option specs, before anything runs.
 */
export function parseTrialJob(data: unknown): TrialJob {
  if (!isRecord(data)) throw new BadPayloadError('not an object');
  if (JSON.stringify(data).length > MAX_PAYLOAD_BYTES) throw new BadPayloadError(`larger than ${MAX_PAYLOAD_BYTES} bytes`);
  only(data, 'job', ['v', 'space', 'evaluator', 'plugins', 'limits', 'request']);
  if (data.v !== TRIAL_JOB_VERSION) throw new BadPayloadError(`version ${JSON.stringify(data.v)}; this worker reads version ${TRIAL_JOB_VERSION} (driver and workers must run the same tsnas)`);
  const limits = data.limits;
  if (!isRecord(limits)) throw new BadPayloadError('limits is not an object');
  only(limits, 'limits', ['trialTimeoutSeconds', 'setupTimeoutSeconds', 'memoryLimitMb']);
  const memoryLimitMb = count(limits.memoryLimitMb, 'limits.memoryLimitMb');
  if (memoryLimitMb > 0 && memoryLimitMb < MIN_WORKER_MEMORY_MB) throw new BadPayloadError(`limits.memoryLimitMb is below ${MIN_WORKER_MEMORY_MB}`);
  return {
    v: TRIAL_JOB_VERSION,
    space: component(data.space, 'space'),
    evaluator: component(data.evaluator, 'evaluator'),
    plugins: plugins(data.plugins),
    limits: {
      trialTimeoutSeconds: count(limits.trialTimeoutSeconds, 'limits.trialTimeoutSeconds', false, MAX_TIMEOUT_SECONDS),
      setupTimeoutSeconds: count(limits.setupTimeoutSeconds, 'limits.setupTimeoutSeconds', false, MAX_TIMEOUT_SECONDS),
      memoryLimitMb,
    },
    request: request(data.request),
  };
}
