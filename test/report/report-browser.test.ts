import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tsnas } from '../helpers/cli.js';
import { tinyNasFpnSearch } from '../helpers/tiny-nasfpn.js';
import { findChromium } from './chromium.js';
import { inBrowser } from './render.js';

describe('tsnas report: the HTML report of a real stored search', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsnas-report-'));
  const runs = join(dir, 'runs');
  // Multi-fidelity (rungs at 5 and 10 steps), so every section of the report has data.
  tinyNasFpnSearch(runs, 'tiny', 5, ['--scheduler', 'asha', '--scheduler-opt', 'eta=2']);
  const file = join(dir, 'report.html');
  const made = tsnas(['report', 'tiny', '--runs-dir', runs, '--out', file]);

  it('is one self-contained file: the data and vega inlined, nothing fetched', () => {
    assert.equal(made.code, 0, made.err);
    assert.match(made.out, /wrote .*report\.html \(5 trials/);
    const html = readFileSync(file, 'utf8');
    assert.doesNotMatch(html, /<script[^>]*\ssrc=/i);
    assert.doesNotMatch(html, /<link[^>]*\shref=/i);
    for (const lib of ['vega@', 'vega-lite@', 'vega-embed@']) assert.match(html, new RegExp(`data-lib="${lib}`));
  });

  const browser = findChromium();
  it('renders in headless Chromium: plots, the pyramid drawn, a sortable table, no console errors', { skip: browser ? false : 'chromium not found (install Debian chromium or set TSNAS_CHROMIUM; .ci/run installs it)' }, async () => {
    const errors = await inBrowser(browser!, file, async (page) => {
      for (const id of ['chart-progress-evaluations', 'chart-progress-time', 'chart-cost', 'chart-rungs']) {
        assert.ok((await page.locator(`#${id} svg .role-mark`).count()) > 0, `${id} has marks`);
      }
      assert.equal(await page.locator('#chart-progress-evaluations svg .mark-symbol.role-mark path').count(), 5, 'a point per trial');
      // The returned trial's pyramid: 5 inputs + 7 cells, two operand edges per cell.
      assert.equal(await page.locator('#arch svg.nasfpn .node').count(), 12);
      assert.ok((await page.locator('#arch svg.nasfpn path.edge').count()) >= 14);
      assert.match((await page.locator('#arch-lines').textContent()) ?? '', /P3out = /);
      assert.equal(await page.locator('#trials tbody tr').count(), 5);
      await page.locator('#trials tbody tr[data-trial="3"]').click();
      assert.match((await page.locator('#arch-title').textContent()) ?? '', /^trial 3 /);
      await page.locator('#trials th', { hasText: /^trial$/ }).click();
      await page.locator('#trials th', { hasText: /^trial$/ }).click();
      assert.equal(await page.locator('#trials tbody tr').first().getAttribute('data-trial'), '4', 'sorted by trial, descending');
      const shot = join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(existsSync(shot) && statSync(shot).size > 10_000);
      process.stdout.write(`# screenshot: ${shot}\n`);
    });
    assert.deepEqual(errors, []);
  });
});
