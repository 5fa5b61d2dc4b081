// A plugin written in TypeScript (.ts, .mts) loads as it is, in the main thread and in pool workers,
// with its own .ts imports written the ESM way ('./x.js' for x.ts).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tsnas } from '../helpers/cli.js';
import { FAULT_PLUGIN } from '../helpers/fault-plugin.js';
import { pluginProject, TS_SAMPLER_CLASS } from '../helpers/plugin-project.js';

const PLUGIN = `import { Rng, sampleChoices, type Registries, type Strategy, type StrategyContext } from 'tsnas';
import { label } from './label.js';

${TS_SAMPLER_CLASS}
export function register(registries: Registries): void {
  registries.strategies.add({ name: label, description: 'typed', options: {}, create: (ctx: StrategyContext) => new Sampler(ctx) });
}
`;

describe('TypeScript plugins', () => {
  const project = pluginProject({});
  mkdirSync(join(project, 'src'));
  writeFileSync(join(project, 'src', 'sampler.ts'), PLUGIN);
  writeFileSync(join(project, 'src', 'label.ts'), "export const label: string = 'typed-sampler';\n");
  writeFileSync(join(project, 'src', 'other.mts'), PLUGIN.replace('{ label }', '{ label as base }').replace('name: label', "name: base + '-m'"));
  const toy = ['search', '--plugin', FAULT_PLUGIN, '--space', 'toy', '--space-opt', 'cells=6', '--evaluator', 'faulty', '--evaluations', '3', '--memory', '--quiet'];

  for (const executor of [['--executor', 'inline'], ['--workers', '1']]) {
    it(`a .ts plugin runs a search (${executor.join(' ')})`, () => {
      const r = tsnas([...toy, '--plugin', './src/sampler.ts', '--strategy', 'typed-sampler', ...executor], { cwd: project });
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /3 evaluations/);
    });
  }

  it('a .mts plugin registers its components', () => {
    const r = tsnas(['components', '--plugin', './src/other.mts'], { cwd: project });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /typed-sampler-m/);
  });

  it('a TypeScript error in a plugin is reported naming it', () => {
    writeFileSync(join(project, 'src', 'broken.ts'), 'export function register( {\n');
    const r = tsnas(['components', '--plugin', './src/broken.ts'], { cwd: project });
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /^tsnas: cannot load plugin '\.\/src\/broken\.ts': /);
  });
});
