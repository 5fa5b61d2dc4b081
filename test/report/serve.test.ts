import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { serveReport } from '../../src/report/serve.js';
import { RunsFolder } from '../../src/store/runs-folder.js';
import { tinyNasFpnSearch } from '../helpers/tiny-nasfpn.js';

describe('tsnas report --serve', () => {
  const runs = mkdtempSync(join(tmpdir(), 'tsnas-serve-'));
  tinyNasFpnSearch(runs, 'tiny', 2);

  it('serves the report on 127.0.0.1, and its state changes when a trial lands', async () => {
    const { url, server } = await serveReport(runs, 'tiny', { port: 0, refreshSeconds: 5 });
    try {
      assert.equal((server.address() as AddressInfo).address, '127.0.0.1');
      const page = await fetch(url);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /<h1>tsnas report: tiny<\/h1>/);
      assert.match(html, /fetch\('state'\)/);
      const before = await (await fetch(`${url}state`)).text();
      const store = new RunsFolder(runs).open('tiny');
      store.putTrial({ ...store.trial(1)!, number: 2, finishedAt: Date.now() });
      store.close();
      assert.notEqual(await (await fetch(`${url}state`)).text(), before);
      assert.match(await (await fetch(url)).text(), /<tr data-trial="2"/);
      assert.equal((await fetch(`${url}other`)).status, 404);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses an unknown experiment before listening', async () => {
    await assert.rejects(serveReport(runs, 'nope', { port: 0, refreshSeconds: 5 }), /no experiment 'nope'/);
  });
});
