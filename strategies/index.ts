import type { Registries } from '../src/engine/registry.js';
import { evolutionFactory } from './evolution.js';
import { randomFactory } from './random.js';

/** Registers the built-in strategies. */
export function registerBuiltinStrategies(registries: Registries): void {
  registries.strategies.add(randomFactory);
  registries.strategies.add(evolutionFactory);
}
