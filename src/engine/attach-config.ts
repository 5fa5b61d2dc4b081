import { StoreError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import type { ExperimentMeta, ExperimentStore } from '../core/store.js';
import { identityOf, type RunConfig } from './config.js';

/** Refuses to continue a stored experiment with a config that differs in more than what a resume may change. */
export function checkSameExperiment(meta: ExperimentMeta, config: RunConfig): void {
  const stored = meta.config as unknown as RunConfig;
  if (identityOf(stored) !== identityOf(config)) {
    throw new StoreError(
      `experiment '${meta.name}' was run with another config; stored: ${identityOf(stored)}; requested: ${identityOf(config)}. ` +
        'Resume with the same options, or start a new experiment.',
    );
  }
}

/**
 * Ties a config to a store: a new store records it; a stored experiment must have been run with the
 * same config except the budget (which a resume may extend), otherwise it is refused untouched. The
 * updated config is written with the resumed run's first write, once it is known to be resumable.
 */
export function attachConfig(store: ExperimentStore, name: string, config: RunConfig): void {
  const meta = store.meta();
  if (!meta) {
    store.init({ name, createdAt: Date.now(), config: config as unknown as JsonValue });
    return;
  }
  checkSameExperiment(meta, config);
  store.updateConfig(config as unknown as JsonValue);
}
