import { existsSync } from 'node:fs';
import { INPUT_LIMITS, readInputFile } from '../core/input-file.js';
import { ConfigError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import type { SpaceFactory } from '../core/evaluator.js';

/**
 * Resolves `--genotype`: a named genotype of the space (which may fix some space options, e.g. the
 * number of cells), a JSON file, or the space's canonical text. Returns the raw genotype (validated
 * later by the space) and the space options it needs.
 */
export function genotypeArg(factory: SpaceFactory, arg: string): { genotype: unknown; options: Record<string, JsonValue>; label: string } {
  const named = factory.named?.[arg];
  if (named) return { genotype: named.genotype, options: { ...named.options }, label: arg };
  if (existsSync(arg)) {
    const text = readInputFile(arg, '--genotype file', INPUT_LIMITS.genotype).toString('utf8').replace(/^\uFEFF/, '');
    try {
      return { genotype: JSON.parse(text) as unknown, options: {}, label: arg };
    } catch {
      return { genotype: text.trim(), options: {}, label: arg };
    }
  }
  if (/[/;|~,]/.test(arg)) return { genotype: arg, options: {}, label: 'genotype' };
  const names = Object.keys(factory.named ?? {});
  throw new ConfigError('--genotype', `'${arg}' is not a named ${factory.name} genotype (${names.join(', ') || 'none'}), a file, or a canonical genotype string`);
}

