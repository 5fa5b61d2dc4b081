import type { JsonValue } from '../core/json.js';

/**
 * What `tsnas search` runs when neither --config nor --space is given: a small NAS-FPN search on the
 * detection proxy task, sized to finish in about ten minutes on two cores (one worker per core).
 * Aging evolution with a small population, so that a few dozen children still get past the random
 * warm-up. Every field can be overridden by a flag.
 */
export const DEFAULT_SEARCH: Readonly<Record<string, JsonValue>> = {
  space: { name: 'nasfpn', options: {} },
  strategy: { name: 'evolution', options: { population: 8, sample: 3 } },
  evaluator: { name: 'detection-proxy', options: {} },
  executor: { name: 'pool', options: {} },
  budget: { evaluations: 16 },
};
