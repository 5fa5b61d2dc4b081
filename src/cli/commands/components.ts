import type { Command } from 'commander';
import { describeOptions } from '../../core/options.js';
import { collect } from '../kv.js';
import { loadRegistries } from '../../wiring/registries.js';

export function registerComponents(program: Command): void {
  program
    .command('components')
    .description('list the registered search spaces, strategies, evaluators, schedulers and datasets with their options')
    .option('--plugin <module>', 'also load this plugin (repeatable)', collect)
    .action(async (flags: { plugin?: string[] }) => {
      const r = await loadRegistries(flags.plugin);
      const lines: string[] = [];
      for (const [title, reg] of [['spaces', r.spaces], ['strategies', r.strategies], ['evaluators', r.evaluators], ['schedulers', r.schedulers], ['datasets', r.datasets]] as const) {
        lines.push(`${title}:`);
        for (const c of reg.list()) {
          const spaces = 'spaces' in c && c.spaces ? ` (spaces: ${c.spaces.join(', ')})` : 'kind' in c ? ` (${c.kind}; options as data.KEY)` : '';
          lines.push(`  ${c.name} — ${c.description}${spaces}`);
          for (const o of describeOptions(c.options)) lines.push(`      ${o}`);
        }
      }
      process.stdout.write(lines.join('\n') + '\n');
    });
}
