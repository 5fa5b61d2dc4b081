import { fileURLToPath } from 'node:url';
import type { Registries } from '../../src/core/registry.js';
import { faultyEvaluatorFactory } from './faulty-evaluator.js';
import { registerToy } from './toy-components.js';

/**
 * Plugin with the toy space, the toy evaluator and the faulty one. A plugin module rather than direct
 * registration, because pool workers build their registries from the run's plugin list.
 */
export function register(registries: Registries): void {
  registerToy(registries);
  registries.evaluators.add(faultyEvaluatorFactory);
}

/** This module's compiled file, for `plugins` in run configs. */
export const FAULT_PLUGIN = fileURLToPath(import.meta.url);
