import { BUILTIN_SCHEDULERS } from '../../schedulers/index.js';
import { registerBuiltinStrategies } from '../../strategies/index.js';
import type { Registries } from '../core/registry.js';
import { registerEvaluationBuiltins } from './evaluation-builtins.js';

/** Registers every built-in: the evaluation side (spaces, evaluators) and the driver's strategies and schedulers. */
export function registerBuiltins(registries: Registries): Registries {
  registerEvaluationBuiltins(registries);
  registerBuiltinStrategies(registries);
  for (const scheduler of BUILTIN_SCHEDULERS) registries.schedulers.add(scheduler);
  return registries;
}
