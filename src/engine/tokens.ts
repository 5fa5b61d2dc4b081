/**
 * Dependency-injection tokens of the engine. Explicit symbols rather than class types, because
 * esbuild-based runners emit no decorator metadata and the contracts are interfaces.
 */
export const TOKENS = {
  Space: Symbol.for('tsnas.SearchSpace'),
  Strategy: Symbol.for('tsnas.Strategy'),
  Evaluator: Symbol.for('tsnas.Evaluator'),
  Executor: Symbol.for('tsnas.Executor'),
  Store: Symbol.for('tsnas.ExperimentStore'),
  Reward: Symbol.for('tsnas.RewardExpression'),
  EngineOptions: Symbol.for('tsnas.EngineOptions'),
  Scheduler: Symbol.for('tsnas.Scheduler'),
  Registries: Symbol.for('tsnas.Registries'),
} as const;
