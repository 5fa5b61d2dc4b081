import type { Registries } from '../core/registry.js';
import type { SearchSpace } from '../core/space.js';
import type { ExperimentMeta } from '../core/store.js';
import { parseRunConfig, type RunConfig } from './config.js';

/** Registries with the given plugins loaded (the composition root's `loadRegistries`, handed down). */
export type RegistriesLoader = (plugins: readonly string[]) => Promise<Registries>;

export interface ExperimentComponents {
  readonly config: RunConfig;
  readonly registries: Registries;
  readonly space: SearchSpace;
}

/** The stored config, the registries with the plugins it was run with, and its space (throws when that is impossible). */
export async function experimentComponents(meta: ExperimentMeta, load: RegistriesLoader): Promise<ExperimentComponents> {
  const config = parseRunConfig(meta.config);
  const registries = await load(config.plugins);
  return { config, registries, space: registries.spaces.get(config.space.name).create(config.space.options) };
}
