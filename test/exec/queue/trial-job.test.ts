import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../src/core/errors.js';
import { parseExecutorConfig } from '../../../src/engine/executor-config.js';
import { slotsOf, workerName } from '../../../src/exec/queue/names.js';
import { pluginMismatch } from '../../../src/exec/queue/plugin-identity.js';
import { failureReason } from '../../../src/exec/queue/queue-executor.js';
import { isConnectionError, redactUrl, redisUrl } from '../../../src/exec/queue/redis.js';
import { BadPayloadError, parseTrialJob, trialJobId, type TrialJob } from '../../../src/exec/queue/trial-job.js';

const job: TrialJob = {
  v: 1,
  space: { name: 'nasbench201', options: {} },
  evaluator: { name: 'nasbench201', options: { dataset: 'cifar10' } },
  plugins: [{ name: 'p.js', sha256: 'a'.repeat(64) }],
  limits: { trialTimeoutSeconds: 0, setupTimeoutSeconds: 0, memoryLimitMb: 0 },
  request: { trial: 3, genotype: [0, 1, 2], key: '0,1,2', seed: 42, fidelity: { resource: 12 } },
};

test('a well-formed job parses to itself; its id is the trial and a digest of the whole job', () => {
  assert.deepEqual(parseTrialJob(JSON.parse(JSON.stringify(job))), job);
  assert.match(trialJobId(job), /^t3-[0-9a-f]{24}$/);
  assert.equal(trialJobId(job), trialJobId(structuredClone(job)));
  assert.notEqual(trialJobId(job), trialJobId({ ...job, request: { ...job.request, seed: 43 } }));
  assert.notEqual(trialJobId(job), trialJobId({ ...job, plugins: [] }));
});

test('a bad payload is refused with the field named', () => {
  const bad = (data: unknown, re: RegExp) => assert.throws(() => parseTrialJob(data), (e: unknown) => e instanceof BadPayloadError && re.test(e.message));
  bad('x', /not an object/);
  bad({ ...job, v: 2 }, /version 2/);
  bad({ ...job, code: 'rm -rf /' }, /job\.code is not a field/);
  bad({ ...job, space: { name: 5, options: {} } }, /space\.name/);
  bad({ ...job, evaluator: { name: 'x', options: [] } }, /evaluator\.options is not an object/);
  bad({ ...job, plugins: [{ name: 'p', sha256: 'zz' }] }, /plugins\[0\]/);
  bad({ ...job, limits: { ...job.limits, trialTimeoutSeconds: -1 } }, /limits\.trialTimeoutSeconds/);
  bad({ ...job, limits: { ...job.limits, memoryLimitMb: 8 } }, /memoryLimitMb is below 32/);
  bad({ ...job, request: { ...job.request, seed: 1.5 } }, /request\.seed/);
  bad({ ...job, request: { ...job.request, genotype: undefined } }, /request\.genotype is missing/);
  bad({ ...job, request: { ...job.request, fidelity: { resource: 'lots' } } }, /fidelity\.resource/);
  bad({ ...job, request: { ...job.request, key: 'x'.repeat(1 << 20) } }, /larger than/);
  for (const stateDir of ['runs/x.trials/3', '/runs/x.trials/../../etc/3', '/home/me/.ssh', 7]) bad({ ...job, request: { ...job.request, fidelity: { resource: 1, stateDir } } }, /stateDir/);
  assert.equal(parseTrialJob({ ...job, request: { ...job.request, fidelity: { resource: 1, stateDir: '/srv/runs/x.trials/3' } } }).request.fidelity?.stateDir, '/srv/runs/x.trials/3');
});

test('plugins match by content and order; a mismatch names both sides', () => {
  const a = { name: 'a.js', sha256: 'a'.repeat(64) };
  const b = { name: 'b.js', sha256: 'b'.repeat(64) };
  assert.equal(pluginMismatch([a, b], [{ ...a, name: 'elsewhere.js' }, b]), undefined);
  assert.match(pluginMismatch([a, b], [b, a]) ?? '', /plugins differ/);
  assert.equal(pluginMismatch([a], []), 'plugins differ: the search has a.js (aaaaaaaaaaaa), this worker none; start tsnas worker with the same --plugin files');
});

test('Redis URLs: from the flag or $TSNAS_REDIS_URL, redis:// or rediss://, passwords never printed', () => {
  assert.equal(redisUrl('redis://h:1'), 'redis://h:1');
  assert.equal(redisUrl(undefined, { TSNAS_REDIS_URL: 'rediss://:pw@h:6380/2' }), 'rediss://:pw@h:6380/2');
  assert.throws(() => redisUrl(undefined, {}), ConfigError);
  assert.throws(() => redisUrl('http://h'), /redis:\/\/ or rediss:\/\//);
  assert.throws(() => redisUrl('not a url :secret@'), (e: unknown) => e instanceof ConfigError && !/secret/.test((e as Error).message));
  assert.equal(redactUrl('redis://user:secret@h:6379/0'), 'redis://user:***@h:6379/0');
  assert.equal(redactUrl('redis://h:6379'), 'redis://h:6379');
  // Connection errors are said once as 'Redis unreachable'; BullMQ's own are said as they are.
  assert.ok(isConnectionError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' })));
  assert.ok(isConnectionError(new Error('Connection is closed.')));
  assert.ok(!isConnectionError(new Error('Missing lock for job t3-abc. moveToFinished')));
});

test('worker names carry their slots; BullMQ\'s stalled wording becomes a reason about the trial', () => {
  assert.equal(slotsOf(`bull:cQ==:w:${workerName(4, 'host#1')}`), 4);
  assert.equal(slotsOf('bull:cQ==:w:someone-else'), 1);
  assert.match(failureReason('job stalled more than allowable limit'), /lost its worker/);
  assert.equal(failureReason('metric score is NaN'), 'metric score is NaN');
});

test('the queue executor takes the pool\'s trial limits, not its thread count', () => {
  assert.deepEqual(parseExecutorConfig({ name: 'queue', options: { trialTimeoutSeconds: 5 } }), { name: 'queue', options: { trialTimeoutSeconds: 5 } });
  assert.throws(() => parseExecutorConfig({ name: 'queue', options: { workers: 2 } }), /only the pool executor takes this option, not 'queue'/);
});
