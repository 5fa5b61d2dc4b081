import { BUILTIN_SCHEDULERS } from '../schedulers/index.js';
import { registerBuiltinStrategies } from '../strategies/index.js';
import type { Registries } from './engine/registry.js';
import { detectionProxyFactory } from './evaluators/proxy/detection-evaluator.js';
import { nb201EvaluatorFactory } from './evaluators/tabular/nb201-evaluator.js';
import { nb201SpaceFactory } from './spaces/nasbench201/factory.js';
import { nasFpnSpaceFactory } from './spaces/nasfpn/factory.js';

/** Registers every built-in space, evaluator, strategy and scheduler. */
export function registerBuiltins(registries: Registries): Registries {
  registries.spaces.add(nb201SpaceFactory);
  registries.spaces.add(nasFpnSpaceFactory);
  registries.evaluators.add(nb201EvaluatorFactory);
  registries.evaluators.add(detectionProxyFactory);
  registerBuiltinStrategies(registries);
  for (const scheduler of BUILTIN_SCHEDULERS) registries.schedulers.add(scheduler);
  return registries;
}
