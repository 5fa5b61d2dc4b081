import { ConfigError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';

type Preset = Readonly<Record<string, JsonValue>>;

/**
 * Embedded NAS-FPN searches on the detection proxy: `--preset NAME`, or `nasfpn-demo` when neither
 * --config, --space nor --preset is given. Both are aging evolution under ASHA (one worker per core),
 * then top-k re-evaluation of the best children over fresh seeds; the demo is the same machinery at a
 * tenth of the cost. Every field can be overridden by a flag.
 */
export const PRESETS: Readonly<Record<string, { readonly description: string; readonly config: Preset }>> = {
  'nasfpn-demo': {
    description: 'about 10 minutes on 2 cores: 40 pyramids under ASHA (rungs 100/300/900 steps), top 3 retrained over 2 seeds',
    config: {
      space: { name: 'nasfpn', options: {} },
      strategy: { name: 'evolution', options: { population: 12, sample: 4 } },
      evaluator: { name: 'detection-proxy', options: { steps: 900, minSteps: 100 } },
      scheduler: { name: 'asha', options: { eta: 3 } },
      executor: { name: 'pool', options: {} },
      budget: { evaluations: 40 },
      reevaluate: { top: 3, seeds: 2 },
    },
  },
  'nasfpn-1h': {
    description: 'about an hour on 2 cores: 240 pyramids under ASHA (rungs 100/300/900/2700 steps), top 5 retrained over 3 seeds',
    config: {
      space: { name: 'nasfpn', options: {} },
      strategy: { name: 'evolution', options: { population: 32, sample: 8 } },
      evaluator: { name: 'detection-proxy', options: { steps: 2700, minSteps: 100 } },
      scheduler: { name: 'asha', options: { eta: 3 } },
      executor: { name: 'pool', options: {} },
      budget: { evaluations: 240 },
      reevaluate: { top: 5, seeds: 3 },
    },
  },
};

export const DEFAULT_PRESET = 'nasfpn-demo';

export function preset(name: string): Preset {
  const p = PRESETS[name];
  if (!p) throw new ConfigError('--preset', `unknown preset '${name}'; presets: ${Object.keys(PRESETS).join(', ')}`);
  return p.config;
}
