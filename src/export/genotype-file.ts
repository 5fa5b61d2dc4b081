import type { JsonValue } from '../core/json.js';

/** The `format` of genotype.json: a genotype with the space (and its options) it is a point of. */
export const GENOTYPE_FORMAT = 'tsnas-genotype';

export interface GenotypeFile {
  readonly format: typeof GENOTYPE_FORMAT;
  readonly space: string;
  readonly spaceOptions: Readonly<Record<string, JsonValue>>;
  readonly key: string;
  readonly genotype: JsonValue;
}

export function isGenotypeFile(v: unknown): v is GenotypeFile {
  return typeof v === 'object' && v !== null && (v as { format?: unknown }).format === GENOTYPE_FORMAT;
}
