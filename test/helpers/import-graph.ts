import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** An import between two folders of the compiled tree, with the files that make it. */
export interface FolderArrow {
  readonly from: string;
  readonly to: string;
  readonly files: string[];
}

// Static and dynamic imports and re-exports of a relative path, as tsc emits them (type-only imports are erased).
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []));
}

/**
 * The folder of a compiled file: `src/<folder>` for src's subfolders, `src` for its top-level files,
 * else the top-level folder (strategies, schedulers, plugins).
 */
export function folderOf(dist: string, file: string): string {
  const parts = relative(dist, file).split('/');
  return parts[0] === 'src' ? (parts.length > 2 ? `src/${parts[1]}` : 'src') : (parts[0] as string);
}

/** A relative import of one compiled file by another, both as paths under `dist` (type-only imports are erased). */
export interface FileImport {
  readonly from: string;
  readonly to: string;
}

/** Every relative import (static, dynamic, re-export) of the compiled files under `roots` (folders under `dist`). */
export function fileImports(dist: string, roots: readonly string[]): FileImport[] {
  return roots.flatMap((r) => jsFiles(join(dist, r))).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => ({ from: relative(dist, file), to: relative(dist, resolve(dirname(file), m[1] as string)) })),
  );
}

/** The arrows between folders of the compiled `roots` (folders under `dist`), self-imports left out. */
export function folderArrows(dist: string, roots: readonly string[]): FolderArrow[] {
  const arrows = new Map<string, FolderArrow>();
  for (const imp of fileImports(dist, roots)) {
    const from = folderOf(dist, join(dist, imp.from));
    const to = folderOf(dist, join(dist, imp.to));
    if (from === to) continue;
    const key = `${from} -> ${to}`;
    const arrow = arrows.get(key) ?? { from, to, files: [] };
    arrow.files.push(imp.from);
    arrows.set(key, arrow);
  }
  return [...arrows.values()];
}

/** One folder-level cycle (its folders in order, the first repeated at the end), or null. */
export function findCycle(arrows: readonly FolderArrow[]): string[] | null {
  const next = new Map<string, string[]>();
  for (const a of arrows) next.set(a.from, [...(next.get(a.from) ?? []), a.to]);
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 'done') return null;
    if (state.get(n) === 'open') return [...path.slice(path.indexOf(n)), n];
    state.set(n, 'open');
    path.push(n);
    for (const m of next.get(n) ?? []) {
      const cycle = visit(m);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of next.keys()) {
    const cycle = visit(n);
    if (cycle) return cycle;
  }
  return null;
}
