import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './run.js';

/** The root of the tsnas package these tests run from (holding package.json and dist/). */
export const TSNAS_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * A user's project folder with `packages` installed in its node_modules (name -> files, each a path
 * inside the package and its text) and tsnas itself linked there, as `npm i tsnas` would leave it.
 */
export function pluginProject(packages: Record<string, Record<string, string>>): string {
  const project = tempDir();
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(TSNAS_ROOT, join(project, 'node_modules', 'tsnas'), 'dir');
  for (const [name, files] of Object.entries(packages)) {
    for (const [path, text] of Object.entries(files)) {
      const file = join(project, 'node_modules', name, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
  }
  return project;
}

/** A strategy plugin's module text: `body` is the object create() returns, in JavaScript. */
export function strategyPlugin(name: string, body: string): string {
  return `import { Rng, sampleChoices } from 'tsnas';
export function register(registries) {
  registries.strategies.add({
    name: ${JSON.stringify(name)},
    description: 'a test plugin',
    options: {},
    create: ({ space, seed }) => {
      const rng = Rng.fromSeed(seed);
      return ${body};
    },
  });
}
`;
}

/** A strategy that samples uniformly and keeps nothing. */
export const SAMPLING_STRATEGY = `({
  ask: (n) => Array.from({ length: n }, () => ({ choices: sampleChoices(space, rng) })),
  tell: () => {},
  state: () => null,
  restore: () => {},
})`;

/** A uniform sampler written in TypeScript against tsnas's public types (it needs Rng, sampleChoices, Strategy, StrategyContext in scope). */
export const TS_SAMPLER_CLASS = `class Sampler implements Strategy {
  private readonly rng: Rng;
  constructor(private readonly ctx: StrategyContext) { this.rng = Rng.fromSeed(ctx.seed); }
  ask(n: number) { return Array.from({ length: n }, () => ({ choices: sampleChoices(this.ctx.space, this.rng) })); }
  tell(): void {}
  state() { return null; }
  restore(): void {}
}
`;
