import { existsSync } from 'node:fs';
import { INPUT_LIMITS, readInputFile } from '../core/input-file.js';
import { ConfigError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import type { SpaceFactory } from '../core/evaluator.js';
import { isGenotypeFile } from '../export/genotype-file.js';

/** A --genotype file: JSON (a genotype.json of `tsnas export`, or a genotype), else canonical text. */
function readGenotypeArgFile(arg: string): { json: unknown } | { text: string } {
  const text = readInputFile(arg, '--genotype file', INPUT_LIMITS.genotype).toString('utf8').replace(/^\uFEFF/, '');
  try {
    return { json: JSON.parse(text) as unknown };
  } catch {
    return { text: text.trim() };
  }
}

/** The space a genotype.json of `tsnas export` names, so `train --genotype DIR/genotype.json` needs no --space. */
export function genotypeFileSpace(arg: string): string | undefined {
  if (!existsSync(arg)) return undefined;
  const file = readGenotypeArgFile(arg);
  return 'json' in file && isGenotypeFile(file.json) ? file.json.space : undefined;
}

/**
 * Resolves `--genotype`: a named genotype of the space (which may fix some space options, e.g. the
 * number of cells), a JSON file, or the space's canonical text. Returns the raw genotype (validated
 * later by the space), the space options it needs, and its name (a named genotype's or the file's; none
 * for canonical text, which the caller shows as its canonical key).
 */
export function genotypeArg(factory: SpaceFactory, arg: string): { genotype: unknown; options: Record<string, JsonValue>; name?: string } {
  const named = factory.named?.[arg];
  if (named) return { genotype: named.genotype, options: { ...named.options }, name: arg };
  if (existsSync(arg)) {
    const file = readGenotypeArgFile(arg);
    if (!('json' in file)) return { genotype: file.text, options: {}, name: arg };
    const parsed = file.json;
    // genotype.json of `tsnas export`: the genotype with the space options it was searched under.
    if (!isGenotypeFile(parsed)) return { genotype: parsed, options: {}, name: arg };
    if (parsed.space !== factory.name) throw new ConfigError('--genotype', `'${arg}' is a genotype of space '${parsed.space}'; pass --space ${parsed.space}`);
    return { genotype: parsed.genotype, options: { ...parsed.spaceOptions }, name: arg };
  }
  if (/[/;|~,]/.test(arg)) return { genotype: arg, options: {} };
  const names = Object.keys(factory.named ?? {});
  throw new ConfigError('--genotype', `'${arg}' is not a named ${factory.name} genotype (${names.join(', ') || 'none'}), a file, or a canonical genotype string`);
}

