import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeSyntheticTable } from '../helpers/nb201-fixture.js';
import { tempDir } from '../helpers/run.js';
import { tsnas } from '../helpers/cli.js';
import { reportCheckpoints } from '../../src/report/bench-html.js';
import { findChromium } from './chromium.js';
import { inBrowser } from './render.js';

describe('tsnas bench --report', () => {
  const out = tempDir();
  const r = tsnas(['bench', '--strategies', 'random,evolution', '--strategy-opt', 'evolution.population=10', '--seeds', '6', '--evaluations', '40', '--out', out, '--report'], { env: { TSNAS_NB201_DIR: writeSyntheticTable() } });

  it('writes report.html beside the tables, which keep the checkpoints asked for', () => {
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /wrote .*bench\.\{json,csv,md\} and report\.html/);
    const json = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8'));
    assert.deepEqual(json.config.checkpoints, [25, 40]);
    // 7 columns, then test_acc and regret at each of the 2 checkpoints.
    assert.equal(readFileSync(join(out, 'bench.csv'), 'utf8').trim().split('\n')[0]!.split(',').length, 11);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.doesNotMatch(html, /<script[^>]*\ssrc=/i);
    assert.match(html, /<td class="text">random − evolution<\/td>/);
  });

  it('plots each strategy at about 30 budgets plus those asked for', () => {
    assert.deepEqual(reportCheckpoints([25, 40], 40).slice(0, 4), [1, 2, 3, 4]);
    assert.ok(reportCheckpoints([25, 40], 40).includes(25));
    assert.equal(reportCheckpoints([150], 150).length, 30);
  });

  const browser = findChromium();
  it('renders: a curve and a band per strategy, no console errors', { skip: browser ? false : 'chromium not found (install Debian chromium or set TSNAS_CHROMIUM; .ci/run installs it)' }, async () => {
    const errors = await inBrowser(browser!, join(out, 'report.html'), async (page) => {
      assert.equal(await page.locator('#chart-curves svg .mark-line.role-mark path').count(), 2);
      assert.equal(await page.locator('#chart-curves svg .mark-area.role-mark path').count(), 2);
      assert.equal(await page.locator('#pairwise tbody tr').count(), 1);
      await page.screenshot({ path: join(out, 'report.png'), fullPage: true });
    });
    assert.deepEqual(errors, []);
  });
});
