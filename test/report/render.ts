import { chromium, type Page } from 'playwright-core';

/**
 * Opens a report file in headless Chromium, waits for its charts, runs `check` on the page, and returns
 * what went wrong in the page: console errors, uncaught exceptions and any request that left the file.
 */
export async function inBrowser(executablePath: string, file: string, check: (page: Page) => Promise<void>): Promise<string[]> {
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  const errors: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) errors.push(`fetched ${r.url()}`);
    });
    await page.goto(`file://${file}`);
    await page.evaluate(() => (globalThis as unknown as { tsnasCharts: Promise<unknown> }).tsnasCharts.then(() => true));
    await check(page);
  } finally {
    await browser.close();
  }
  return errors;
}
