import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TrialRecord } from '../../../src/core/trial.js';
import { EXPERIMENTS_KEY } from '../../../src/exec/queue/names.js';
import { SqliteStore } from '../../../src/store/sqlite-store.js';
import { killWhen, storedTrials, toySearch, tsnas, tsnasAsync } from '../../helpers/cli.js';
import { CURVE_PLUGIN } from '../../helpers/curve-plugin.js';
import { FAULT_PLUGIN } from '../../helpers/fault-plugin.js';
import { HAVE_REDIS, TestRedis, TestWorker } from '../../helpers/redis-server.js';

// Searches through a real redis-server and real `tsnas worker` processes, on the toy space with the
// faulty evaluator (a trial sleeps, so it can be killed half-way). Locks of 2 s make BullMQ's stalled
// check hand a killed worker's trial on within a few seconds.

const LOCK = ['--lock-seconds', '2'];

describe('queue executor (BullMQ on redis-server)', { skip: HAVE_REDIS ? false : 'redis-server is not installed (apt-get install redis-server)' }, () => {
  let redis: TestRedis;
  let runs: string;
  const workers: TestWorker[] = [];
  const worker = (args: readonly string[]) => {
    const w = new TestWorker(['--redis', redis.url, '--plugin', FAULT_PLUGIN, ...LOCK, ...args]);
    workers.push(w);
    return w;
  };
  const search = (name: string, sleepMs: number, evaluations: number, extra: readonly string[] = []) => [...toySearch(runs, name, sleepMs, evaluations, extra), '--executor', 'queue', '--redis', redis.url];
  const trialsOf = (name: string) => storedTrials(join(runs, `${name}.sqlite`)) as TrialRecord[];
  const checkAllComplete = (trials: TrialRecord[], n: number) => {
    assert.deepEqual(trials.map((t) => t.number), [...Array(n).keys()], 'every trial once, in order');
    assert.deepEqual(trials.filter((t) => t.status !== 'complete').map((t) => `${t.number}: ${t.status} ${t.error}`), []);
  };

  before(async () => {
    redis = await TestRedis.start();
    runs = mkdtempSync(join(tmpdir(), 'tsnas-queue-'));
  });
  after(async () => {
    await Promise.all(workers.map((w) => w.kill('SIGKILL')));
    await redis.dispose();
    rmSync(runs, { recursive: true, force: true });
  });

  test('two worker processes complete the budget; failures carry their reasons as with the pool', async () => {
    const a = worker(['--concurrency', '1', '--experiment', 'two']);
    const b = worker(['--concurrency', '1', '--experiment', 'two']);
    await Promise.all([a.waitFor(/following/), b.waitFor(/following/)]);
    const r = await tsnasAsync(search('two', 300, 8, ['--evaluator-opt', 'faults=2:throw,3:nan,5:hang', '--trial-timeout', '2']));
    assert.equal(r.code, 0, r.err);
    const trials = trialsOf('two');
    assert.deepEqual(trials.map((t) => t.number), [...Array(8).keys()]);
    const failed = new Map(trials.filter((t) => t.status === 'failed').map((t) => [t.number, t.error]));
    assert.deepEqual([...failed.keys()].sort(), [2, 3, 5]);
    assert.match(failed.get(2) ?? '', /injected failure|throw/i);
    assert.match(failed.get(3) ?? '', /metric \w+ is NaN/);
    assert.equal(failed.get(5), 'trial timed out after 2 s');
    assert.ok(a.started('two').length > 0 && b.started('two').length > 0, `both workers took trials:\n${a.out}\n${b.out}`);
    assert.equal(a.started('two').length + b.started('two').length, 8, 'each trial ran once');
    // SIGTERM: a clean stop.
    assert.equal(await a.kill('SIGTERM'), 0, a.out);
    assert.match(a.out, /worker stopped/);
  });

  test('a worker SIGKILLed mid-trial: BullMQ puts the trial back, the other worker runs it, nothing lost or doubled', async () => {
    const a = worker(['--concurrency', '1', '--experiment', 'killed']);
    const b = worker(['--concurrency', '1', '--experiment', 'killed']);
    await Promise.all([a.waitFor(/following/), b.waitFor(/following/)]);
    const running = tsnasAsync(search('killed', 1500, 5));
    await a.waitFor(/trial \d+ started/);
    const victim = a.started('killed').at(-1) as number;
    await a.kill('SIGKILL');
    const r = await running;
    assert.equal(r.code, 0, r.err);
    checkAllComplete(trialsOf('killed'), 5);
    assert.ok(b.started('killed').includes(victim), `worker b re-ran trial ${victim}:\n${b.out}`);
    assert.match(b.out, new RegExp(`trial ${victim} started \\(again`));
  });

  test('Redis stopped and restarted mid-search: driver and worker reconnect and the search completes', async () => {
    const w = worker(['--concurrency', '1', '--experiment', 'restart']);
    await w.waitFor(/following/);
    const running = tsnasAsync(search('restart', 400, 6));
    await w.waitFor(/trial 1 done/);
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await redis.restart();
    const r = await running;
    assert.equal(r.code, 0, r.err);
    checkAllComplete(trialsOf('restart'), 6);
    assert.match(w.out, /reachable again/);
  });

  test('the driver SIGKILLed and resumed: re-attaches to the queued job, same records as an uninterrupted search', async () => {
    const w = worker(['--concurrency', '1', '--experiment', 'resumed']);
    await w.waitFor(/following/);
    const args = search('resumed', 600, 5);
    const file = join(runs, 'resumed.sqlite');
    await killWhen(args, file, (ts) => ts.filter((t) => t.status === 'complete').length >= 2 && ts.some((t) => t.status === 'running'));
    const before = trialsOf('resumed').filter((t) => t.status === 'complete');
    const r = await tsnasAsync([...args, '--resume']);
    assert.equal(r.code, 0, r.err);
    const trials = trialsOf('resumed');
    checkAllComplete(trials, 5);
    for (const t of before) assert.deepEqual(trials[t.number], t, `trial ${t.number} kept as it was`);
    // The trial in flight at the kill was not evaluated a second time: the resumed driver got its job's result.
    const started = w.started('resumed');
    assert.deepEqual(started, [...new Set(started)], `no trial ran twice: ${started.join(',')}`);
    const inline = tsnas([...toySearch(runs, 'resumed-inline', 0, 5), '--json']);
    assert.equal(inline.code, 0, inline.err);
    const reference = trialsOf('resumed-inline');
    assert.deepEqual(trials.map((t) => [t.key, t.reward]), reference.map((t) => [t.key, t.reward]));
  });

  test('a worker that joins mid-search gets a trial at once, not after the next result', async () => {
    const a = worker(['--concurrency', '1', '--experiment', 'joined']);
    await a.waitFor(/following/);
    const running = tsnasAsync(search('joined', 4000, 3));
    await a.waitFor(/trial 0 started/);
    const b = worker(['--concurrency', '1', '--experiment', 'joined']);
    await b.waitFor(/trial \d+ started/);
    assert.doesNotMatch(a.out, /trial 0 done/, 'b started before the first result');
    const r = await running;
    assert.equal(r.code, 0, r.err);
    checkAllComplete(trialsOf('joined'), 3);
  });

  test('multi-fidelity (ASHA) through the queue: the same rungs as inline, promoted rungs continued from their state', async () => {
    const w = new TestWorker(['--redis', redis.url, '--plugin', CURVE_PLUGIN, ...LOCK, '--concurrency', '1', '--experiment', 'asha']);
    workers.push(w);
    await w.waitFor(/following/);
    const args = (name: string) => ['search', '--plugin', CURVE_PLUGIN, '--space', 'curve', '--evaluator', 'curve', '--strategy', 'random', '--scheduler', 'asha', '--scheduler-opt', 'eta=3', '--evaluations', '9', '--seed', '2', '--runs-dir', runs, '--name', name, '--quiet'];
    const queued = await tsnasAsync([...args('asha'), '--executor', 'queue', '--redis', redis.url]);
    assert.equal(queued.code, 0, queued.err);
    const inline = tsnas(args('asha-inline'));
    assert.equal(inline.code, 0, inline.err);
    const rungs = (name: string) => {
      const store = new SqliteStore(join(runs, `${name}.sqlite`), { readonly: true });
      try {
        return store.rungs().map((r) => `${r.trial}@${r.resource}: ${r.reward} trained ${r.metrics?.trained}`);
      } finally {
        store.close();
      }
    };
    assert.deepEqual(rungs('asha'), rungs('asha-inline'));
    assert.ok(rungs('asha').some((r) => /@3: .* trained 2$/.test(r)), 'a promotion trained only the steps above its lower rung');
  });

  test('a worker without the search\'s plugin fails the trial with a clear reason and leaves the experiment', async () => {
    const w = new TestWorker(['--redis', redis.url, ...LOCK, '--experiment', 'mismatch']);
    workers.push(w);
    await w.waitFor(/following/);
    const r = await tsnasAsync(search('mismatch', 0, 1));
    assert.equal(r.code, 0, r.err);
    const [t] = trialsOf('mismatch');
    assert.equal(t?.status, 'failed');
    assert.match(t?.error ?? '', /plugins differ: the search has fault-plugin\.js \([0-9a-f]{12}\), this worker none/);
    await w.waitFor(/\[mismatch\] leaving/);
  });
});

describe('queue executor over TLS with a password (rediss://)', { skip: HAVE_REDIS ? false : 'redis-server is not installed (apt-get install redis-server)' }, () => {
  const PASSWORD = 'pa55-w0rd';
  let redis: TestRedis;
  let runs: string;
  let url: string;
  let env: NodeJS.ProcessEnv;
  let ca: Buffer;
  let w: TestWorker;

  before(async () => {
    runs = mkdtempSync(join(tmpdir(), 'tsnas-queue-tls-'));
    const cert = join(runs, 'cert.pem');
    const key = join(runs, 'key.pem');
    // A self-signed certificate for 127.0.0.1, trusted by the processes through NODE_EXTRA_CA_CERTS, as a private CA would be.
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    ca = readFileSync(cert);
    redis = await TestRedis.start((port) => ['--port', '0', '--tls-port', String(port), '--tls-cert-file', cert, '--tls-key-file', key, '--tls-ca-cert-file', cert, '--tls-auth-clients', 'no', '--requirepass', PASSWORD]);
    url = `rediss://:${PASSWORD}@127.0.0.1:${redis.port}`;
    env = { ...process.env, NODE_EXTRA_CA_CERTS: cert };
    w = new TestWorker(['--redis', url, '--plugin', FAULT_PLUGIN, ...LOCK, '--concurrency', '2'], env);
    await w.waitFor(/every experiment/);
  });
  after(async () => {
    await w.kill('SIGKILL');
    await redis.dispose();
    rmSync(runs, { recursive: true, force: true });
  });

  test('a search runs through TLS and AUTH; the password is never printed', async () => {
    const r = await tsnasAsync([...toySearch(runs, 'tls', 100, 4), '--executor', 'queue', '--redis', url], { env });
    assert.equal(r.code, 0, r.err);
    const trials = storedTrials(join(runs, 'tls.sqlite')) as TrialRecord[];
    assert.deepEqual(trials.map((t) => t.status), ['complete', 'complete', 'complete', 'complete']);
    assert.match(w.out, /rediss:\/\/:\*\*\*@127\.0\.0\.1/);
    for (const text of [w.out, r.out, r.err]) assert.ok(!text.includes(PASSWORD), text);
  });

  test('a job whose payload is not a valid trial fails with the reason, and nothing runs', async () => {
    const connection = new Redis(url, { tls: { ca }, maxRetriesPerRequest: null });
    const listener = connection.duplicate();
    const queue = new Queue('forged', { connection });
    const events = new QueueEvents('forged', { connection: listener });
    try {
      await events.waitUntilReady();
      await connection.sadd(EXPERIMENTS_KEY, 'forged');
      const forged = { v: 1, space: { name: 'toy', options: {} }, evaluator: { name: 'toy', options: {} }, plugins: [], limits: { trialTimeoutSeconds: 0, setupTimeoutSeconds: 0, memoryLimitMb: 0 }, request: { trial: 0, genotype: [0], key: '0', seed: 0 }, run: 'process.exit()' };
      const job = await queue.add('trial', forged);
      await assert.rejects(job.waitUntilFinished(events, 30_000), /bad trial job payload: job\.run is not a field of a trial job/);
      assert.doesNotMatch(w.out, /\[forged\] trial 0 started/);
    } finally {
      await events.close();
      await queue.close();
      // BullMQ leaves connections it was given open.
      connection.disconnect();
      listener.disconnect();
    }
  });
});
