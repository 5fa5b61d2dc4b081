import type { SearchSpace } from '../core/space.js';
import type { ExperimentMeta } from '../core/store.js';
import { experimentComponents } from '../engine/experiment-components.js';
import { loadRegistries } from '../wiring/registries.js';

/** The experiment's space when it can be built, else undefined: tables then show raw decision indices instead of failing. */
export async function experimentSpaceOrNone(meta: ExperimentMeta | undefined): Promise<SearchSpace | undefined> {
  if (!meta) return undefined;
  try {
    return (await experimentComponents(meta, loadRegistries)).space;
  } catch {
    return undefined;
  }
}
