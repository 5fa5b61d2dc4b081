import { existsSync } from 'node:fs';

/**
 * The headless browser the report tests use: $TSNAS_CHROMIUM, else Debian's chromium; undefined when
 * absent (the test then skips), unless $TSNAS_CHROMIUM_REQUIRED is set (.ci/run): then absent fails.
 */
export function findChromium(): string | undefined {
  const candidates = [process.env.TSNAS_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found && process.env.TSNAS_CHROMIUM_REQUIRED) throw new Error('chromium not found and TSNAS_CHROMIUM_REQUIRED is set: install Debian chromium (.ci/run does)');
  return found;
}
