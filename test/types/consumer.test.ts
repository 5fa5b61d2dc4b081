// The published types type-check in a consumer project with skipLibCheck: false, given only what
// `npm install tsnas` installs: tsnas's dependencies, not its devDependencies (which is where
// @types/node once was, so `node:events` was missing).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { TS_SAMPLER_CLASS, TSNAS_ROOT } from '../helpers/plugin-project.js';
import { tempDir } from '../helpers/run.js';

/** An evaluator plugin written against the subpath entry points (tsnas/evaluator, tsnas/tensor, ...). */
const PLUGIN_SOURCE = join(TSNAS_ROOT, 'plugins', 'mlp-classifier');

const CONSUMER = `import { loadRegistries, Registries, Rng, sampleChoices, runSearch, MemoryStore, type Strategy, type StrategyContext, type RunConfig, type Evaluator } from 'tsnas';

${TS_SAMPLER_CLASS}
export function register(registries: Registries): void {
  registries.strategies.add({ name: 'sampler', description: '', options: {}, create: (ctx) => new Sampler(ctx) });
}

export async function run(config: RunConfig): Promise<number> {
  const r = await runSearch(config, { name: 'x', store: new MemoryStore(), registries: await loadRegistries([]) });
  return r.evaluations;
}

export type Metric = Evaluator['primaryMetric'];
`;

/** A project with tsnas installed as npm would: the package (package.json, dist) and its production dependencies. */
function consumerProject(): string {
  const project = tempDir();
  const nm = join(project, 'node_modules');
  mkdirSync(join(nm, 'tsnas'), { recursive: true });
  writeFileSync(join(nm, 'tsnas', 'package.json'), readFileSync(join(TSNAS_ROOT, 'package.json')));
  symlinkSync(join(TSNAS_ROOT, 'dist'), join(nm, 'tsnas', 'dist'), 'dir');
  const listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: TSNAS_ROOT, encoding: 'utf8' });
  for (const path of listed.split('\n').filter(Boolean)) {
    const rel = relative(join(TSNAS_ROOT, 'node_modules'), path);
    if (rel.startsWith('..') || rel === '' || rel.includes('node_modules')) continue; // the root, or nested in a package linked whole
    mkdirSync(dirname(join(nm, rel)), { recursive: true });
    symlinkSync(path, join(nm, rel), 'dir');
  }
  writeFileSync(join(project, 'index.ts'), CONSUMER);
  // The example evaluator plugin, as a user who copied it would build it: against the subpath entry points.
  mkdirSync(join(project, 'mlp-classifier'));
  for (const file of readdirSync(PLUGIN_SOURCE).filter((f) => f.endsWith('.ts'))) copyFileSync(join(PLUGIN_SOURCE, file), join(project, 'mlp-classifier', file));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module' }));
  // preserveSymlinks: imports resolve from the project's node_modules, as in a real install, not from tsnas's checkout.
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, preserveSymlinks: true, experimentalDecorators: true },
    files: ['index.ts', 'mlp-classifier/index.ts'],
  }));
  return project;
}

describe('published types', () => {
  it('type-check in a consumer with skipLibCheck: false and only the production dependencies, for the root and the subpath entry points', () => {
    const project = consumerProject();
    const tsc = join(TSNAS_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});
