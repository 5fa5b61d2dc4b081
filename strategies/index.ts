import type { Registries } from '../src/core/registry.js';
import { evolutionFactory } from './evolution.js';
import { hybridFactory } from './hybrid.js';
import { ppoFactory } from './ppo.js';
import { randomFactory } from './random.js';
import { reinforceFactory } from './reinforce.js';

/** Registers the built-in strategies. */
export function registerBuiltinStrategies(registries: Registries): void {
  registries.strategies.add(randomFactory);
  registries.strategies.add(evolutionFactory);
  registries.strategies.add(reinforceFactory);
  registries.strategies.add(ppoFactory);
  registries.strategies.add(hybridFactory);
}
