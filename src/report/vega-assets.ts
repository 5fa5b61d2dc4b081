import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The browser builds of vega, vega-lite and vega-embed, read from their packages (inlined: the report works offline). */
let cached: { readonly name: string; readonly version: string; readonly code: string }[] | undefined;

export function vegaScripts(): { readonly name: string; readonly version: string; readonly code: string }[] {
  if (cached) return cached;
  const builds: [string, string][] = [
    ['vega', 'vega.min.js'],
    ['vega-lite', 'vega-lite.min.js'],
    ['vega-embed', 'vega-embed.min.js'],
  ];
  cached = builds.map(([pkg, file]) => {
    // Each package's entry lives in its build/ folder, beside the minified browser bundle (exports hide the path itself).
    const build = dirname(require.resolve(pkg));
    const pkgJson = JSON.parse(readFileSync(join(build, '..', 'package.json'), 'utf8')) as { version: string };
    return { name: pkg, version: pkgJson.version, code: readFileSync(join(build, file), 'utf8') };
  });
  return cached;
}
