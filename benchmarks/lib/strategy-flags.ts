/**
 * The search benchmarks' strategy flags: `--strategies a,b,c` (each once, each registered) and
 * `--strategy-opt STRATEGY.KEY=VALUE` (parsed as `tsnas bench --strategy-opt` is) for a listed one.
 */
import { labelledPairs } from '../../src/cli/kv.js';
import { ConfigError } from '../../src/core/errors.js';
import type { Registries } from '../../src/core/registry.js';

/** The listed strategies; none, one listed twice or one not registered is refused before any search. */
export function parseStrategies(raw: string, registries: Registries): string[] {
  const strategies = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (!strategies.length) throw new ConfigError('--strategies', 'name at least one strategy');
  if (new Set(strategies).size !== strategies.length) throw new ConfigError('--strategies', `a strategy is listed twice: ${raw}`);
  for (const s of strategies) registries.strategies.get(s);
  return strategies;
}

/** `--strategy-opt hybrid.population=12` -> { hybrid: ['population=12'] }; a strategy not listed is refused. */
export function parseStrategyOpts(given: readonly string[], strategies: readonly string[]): Map<string, string[]> {
  return labelledPairs('--strategy-opt', given, strategies);
}
