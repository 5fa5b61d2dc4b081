import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TrialRecord } from '../../../src/core/trial.js';
import { storedTrials, toySearch, tsnasAsync } from '../../helpers/cli.js';
import { FAULT_PLUGIN } from '../../helpers/fault-plugin.js';
import { canMakeNamespaces, inNamespace, StarNetwork } from '../../helpers/netns.js';
import { HAVE_REDIS, TestRedis, TestWorker } from '../../helpers/redis-server.js';

// Driver, Redis and workers each in a network namespace of its own, linked by veth pairs: their own
// addresses and links, as separate hosts would have. Cutting a worker's link is a machine lost.

const ENABLED = HAVE_REDIS && canMakeNamespaces();

describe('queue executor across network namespaces', { skip: ENABLED ? false : 'needs root, ip netns and redis-server' }, () => {
  let net: StarNetwork;
  let redis: TestRedis;
  let runs: string;
  const workers: TestWorker[] = [];

  before(async () => {
    net = new StarNetwork();
    redis = await TestRedis.start((port) => ['--port', String(port), '--bind', '0.0.0.0', '--protected-mode', 'no'], inNamespace(net.hub));
    runs = mkdtempSync(join(tmpdir(), 'tsnas-netns-'));
  });
  after(async () => {
    await Promise.all(workers.map((w) => w.kill('SIGKILL')));
    await redis.dispose();
    net.dispose();
    rmSync(runs, { recursive: true, force: true });
  });

  test('a worker whose machine drops off the network mid-trial: the other worker runs the trial, none lost or doubled', async () => {
    const driver = net.spoke();
    const hosts = [net.spoke(), net.spoke()];
    const [a, b] = hosts.map((h) => {
      const w = new TestWorker(['--redis', `redis://${h.hubAddress}:${redis.port}`, '--plugin', FAULT_PLUGIN, '--lock-seconds', '2', '--concurrency', '1', '--experiment', 'net'], {}, inNamespace(h.ns));
      workers.push(w);
      return w;
    }) as [TestWorker, TestWorker];
    await Promise.all([a.waitFor(/following/), b.waitFor(/following/)]);
    const search = tsnasAsync([...toySearch(runs, 'net', 1500, 5), '--executor', 'queue', '--redis', `redis://${driver.hubAddress}:${redis.port}`], {}, inNamespace(driver.ns));
    await a.waitFor(/trial \d+ started/);
    const victim = a.started('net').at(-1) as number;
    net.setLink(hosts[0]!.ns, hosts[0]!.link, false);
    const r = await search;
    assert.equal(r.code, 0, r.err);
    const trials = storedTrials(join(runs, 'net.sqlite')) as TrialRecord[];
    assert.deepEqual(trials.map((t) => `${t.number}:${t.status}`), ['0:complete', '1:complete', '2:complete', '3:complete', '4:complete']);
    assert.ok(b.started('net').includes(victim), `the other worker ran trial ${victim}:\n${b.out}`);
  });
});
