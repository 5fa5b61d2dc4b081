import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// Resolves a bare package specifier (`name`, `@scope/name`, `name/sub`) the way `import` would from a
// file in `fromDir`: Node 20's import.meta.resolve takes no parent URL without a flag, and
// createRequire().resolve applies the `require` conditions, which ESM-only packages do not export.

const CONDITIONS = ['node', 'import', 'default'];

/** The entry file of `specifier` seen from `fromDir` (searching its node_modules and those above), or undefined. */
export function resolvePackageFrom(specifier: string, fromDir: string): string | undefined {
  const m = /^((?:@[^/]+\/)?[^/]+)(\/.*)?$/.exec(specifier);
  if (!m) return undefined;
  const [, name, rest] = m as unknown as [string, string, string | undefined];
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const pkgDir = join(dir, 'node_modules', name);
    if (existsSync(join(pkgDir, 'package.json'))) return entryOf(pkgDir, rest ? `.${rest}` : '.');
    if (dirname(dir) === dir) return undefined;
  }
}

function entryOf(pkgDir: string, subpath: string): string | undefined {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { exports?: unknown; main?: unknown };
  if (pkg.exports !== undefined && pkg.exports !== null) {
    const target = exportTarget(pkg.exports, subpath);
    return target === undefined ? undefined : join(pkgDir, target);
  }
  const file = subpath === '.' ? (typeof pkg.main === 'string' ? pkg.main : 'index.js') : subpath;
  return [file, `${file}.js`, join(file, 'index.js')].map((f) => join(pkgDir, f)).find((f) => existsSync(f) && statSync(f).isFile());
}

/** The file `exports` maps `subpath` to: a string, a conditions object, an array of fallbacks, or subpath keys (with `*` patterns). */
function exportTarget(exports: unknown, subpath: string): string | undefined {
  const isSubpathMap = typeof exports === 'object' && !Array.isArray(exports) && Object.keys(exports as object).some((k) => k.startsWith('.'));
  if (!isSubpathMap) return subpath === '.' ? conditional(exports, '') : undefined;
  const map = exports as Record<string, unknown>;
  if (subpath in map) return conditional(map[subpath], '');
  for (const [key, value] of Object.entries(map)) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const [pre, post] = [key.slice(0, star), key.slice(star + 1)];
    if (subpath.startsWith(pre) && subpath.endsWith(post) && subpath.length >= key.length - 1) return conditional(value, subpath.slice(pre.length, subpath.length - post.length));
  }
  return undefined;
}

function conditional(target: unknown, star: string): string | undefined {
  if (typeof target === 'string') return target.replaceAll('*', star);
  if (Array.isArray(target)) {
    for (const t of target) {
      const r = conditional(t, star);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  if (typeof target === 'object' && target !== null) {
    for (const [cond, value] of Object.entries(target)) if (CONDITIONS.includes(cond)) return conditional(value, star);
  }
  return undefined;
}
