/**
 * The search benchmarks' strategy flags: `--strategies a,b,c` (each once, each registered) and
 * `--strategy-opt STRATEGY.KEY=VALUE` (as `tsnas bench --strategy-opt` spells it) for a listed one.
 */
import { ConfigError } from '../../src/core/errors.js';
import type { Registries } from '../../src/core/registry.js';

/** The listed strategies; one listed twice or not registered is refused before any search. */
export function parseStrategies(raw: string, registries: Registries): string[] {
  const strategies = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (new Set(strategies).size !== strategies.length) throw new ConfigError('--strategies', `a strategy is listed twice: ${raw}`);
  for (const s of strategies) registries.strategies.get(s);
  return strategies;
}

/** `--strategy-opt hybrid.population=12` -> { hybrid: ['population=12'] }; a strategy not listed is refused. */
export function parseStrategyOpts(given: readonly string[], strategies: readonly string[]): Map<string, string[]> {
  const opts = new Map<string, string[]>();
  for (const o of given) {
    const at = o.indexOf('.');
    const s = o.slice(0, at);
    if (at < 1 || !strategies.includes(s)) throw new ConfigError('--strategy-opt', `'${o}' must be STRATEGY.KEY=VALUE with a listed strategy (${strategies.join(', ')})`);
    opts.set(s, [...(opts.get(s) ?? []), o.slice(at + 1)]);
  }
  return opts;
}
