import { fileURLToPath } from 'node:url';
import type { JsonValue } from '../../src/core/json.js';
import type { Strategy, StrategyFactory } from '../../src/core/strategy.js';
import type { Registries } from '../../src/core/registry.js';

// A plugin that misbehaves as $TSNAS_BAD_PLUGIN says: at import, in register(), or in the components it
// registers. One module for every case, so the bad-input table needs no file per case.

const mode = process.env.TSNAS_BAD_PLUGIN ?? '';
if (mode === 'import-throws') throw new Error('plugin exploded at import');

/** A strategy that proposes the first point and whose state() is what `state` returns. */
function oddStateStrategy(name: string, state: () => unknown): StrategyFactory {
  return {
    name,
    description: 'test strategy with a state JSON cannot store',
    options: {},
    create(ctx): Strategy {
      return {
        ask: () => [{ choices: Array.from({ length: ctx.space.length }, () => 0) }],
        tell: () => undefined,
        state: () => state() as JsonValue,
        restore: () => undefined,
      };
    },
  };
}

export async function register(registries: Registries): Promise<void> {
  switch (mode) {
    case 'register-throws':
      throw new Error('register blew up');
    case 'register-rejects':
      return Promise.reject(new Error('async register failed'));
    case 'register-throws-object':
      throw { code: 7, why: 'not an Error' } as unknown as Error;
    case 'no-create':
      return registries.strategies.add({ name: 'broken', description: 'no create', options: {} } as unknown as StrategyFactory);
    case 'bad-name':
      return registries.strategies.add({ ...oddStateStrategy('has space', () => ({})), name: 'has space' });
    case 'map-state':
      return registries.strategies.add(oddStateStrategy('odd', () => ({ seen: new Map([[1, 2]]) })));
    case 'nan-state':
      return registries.strategies.add(oddStateStrategy('odd', () => ({ best: NaN })));
    case 'cyclic-state':
      return registries.strategies.add(
        oddStateStrategy('odd', () => {
          const s: Record<string, unknown> = {};
          s.self = s;
          return s;
        }),
      );
    case 'strategy-create-throws':
      return registries.strategies.add({ ...oddStateStrategy('odd', () => ({})), create: () => Promise.reject(new TypeError('cannot read the weights')) });
    case 'evaluator-create-throws':
      return registries.evaluators.add({
        name: 'exploding',
        description: 'an evaluator that cannot be built',
        spaces: ['nasbench201'],
        options: {},
        create: () => {
          throw new Error('no GPU here');
        },
      });
  }
}

/** This module's compiled file. */
export const BAD_PLUGIN = fileURLToPath(import.meta.url);
