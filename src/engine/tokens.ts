/**
 * Dependency-injection tokens of the engine: one per constructor parameter of SearchEngine and
 * MultiFidelityEngine, registered by the composition root (src/wiring/container.ts). Explicit symbols
 * rather than class types, because esbuild-based runners emit no decorator metadata and the contracts
 * are interfaces.
 */
export const TOKENS = {
  Space: Symbol.for('tsnas.SearchSpace'),
  Strategy: Symbol.for('tsnas.Strategy'),
  Executor: Symbol.for('tsnas.Executor'),
  Store: Symbol.for('tsnas.ExperimentStore'),
  Reward: Symbol.for('tsnas.RewardExpression'),
  EngineOptions: Symbol.for('tsnas.EngineOptions'),
  Scheduler: Symbol.for('tsnas.Scheduler'),
} as const;
