import { parse } from 'csv-parse/sync';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataError } from '../../core/errors.js';
import { INPUT_LIMITS, readInputFile } from '../../core/input-file.js';
import { userDataDir } from '../../data/user-data-dir.js';
import { parseArchString, toArchString } from '../../spaces/nasbench201/space.js';

/** Environment variable naming the folder that holds the NAS-Bench-201 CSV tables. */
export const NB201_ENV = 'TSNAS_NB201_DIR';
export const NB201_DATASETS = ['cifar10', 'cifar100'] as const;

export interface Nb201Row {
  readonly index: number;
  readonly trainAcc: number;
  readonly validAcc: number;
  readonly testAcc: number;
}

const REQUIRED = ['file id', 'arch str', 'train accuracy', 'validation accuracy', 'test accuracy'] as const;
const SPACE_SIZE = 5 ** 6;

/** Loaded tables by absolute file path: a benchmark builds hundreds of evaluators over one table. */
const loaded = new Map<string, ReadonlyMap<string, Nb201Row>>();

/** Folders tried, relative to the working directory, when neither an option nor the variable names one. */
export const NB201_DEFAULT_DIRS = ['data/nasbench201', '../shared/data/nasbench201'];

/** The default folders, then the per-user one that `tsnas data add nasbench201` fills. */
const defaultDirs = (env: NodeJS.ProcessEnv) => [...NB201_DEFAULT_DIRS, userDataDir('nasbench201', env)];

/**
 * Finds the table file: `path` may be the CSV itself or a folder holding `nasbench201_<dataset>.csv`;
 * without `path`, the folder in $TSNAS_NB201_DIR, else the first of NB201_DEFAULT_DIRS and the per-user
 * data folder that holds it.
 */
export function resolveTablePath(dataset: string, path: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const given = path ?? env[NB201_ENV] ?? defaultDirs(env).find((d) => existsSync(join(d, `nasbench201_${dataset}.csv`)));
  if (!given) {
    throw new DataError(
      `NAS-Bench-201 tables not found: run 'tsnas data add nasbench201 FILE', pass the evaluator option path=<folder or csv>, set ${NB201_ENV}, or put them in ${defaultDirs(env).join(' or ')}`,
    );
  }
  const abs = resolve(given);
  if (!existsSync(abs)) throw new DataError(`NAS-Bench-201 path '${abs}' does not exist`);
  const file = statSync(abs).isDirectory() ? join(abs, `nasbench201_${dataset}.csv`) : abs;
  if (!existsSync(file)) throw new DataError(`NAS-Bench-201 table for ${dataset} not found: ${file}`);
  return file;
}

/** Reads and checks a table: every required column, finite accuracies, 15,625 distinct valid architectures. */
export function loadNb201Table(file: string): ReadonlyMap<string, Nb201Row> {
  const cached = loaded.get(file);
  if (cached) return cached;
  let records: Record<string, string>[];
  try {
    records = parse(readInputFile(file, 'NAS-Bench-201 table', INPUT_LIMITS.table), { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`malformed NAS-Bench-201 table ${file}: ${(e as Error).message}`, { cause: e });
  }
  const header = records[0] ? Object.keys(records[0]) : [];
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) throw new DataError(`malformed NAS-Bench-201 table ${file}: missing column(s) ${missing.join(', ')}`);
  const table = new Map<string, Nb201Row>();
  records.forEach((r, i) => {
    const line = i + 2;
    let arch: string;
    try {
      arch = toArchString(parseArchString(r['arch str'] as string));
    } catch (e) {
      throw new DataError(`malformed NAS-Bench-201 table ${file}, line ${line}: ${(e as Error).message}`);
    }
    const num = (col: string) => {
      const v = Number(r[col]);
      if (r[col] === '' || !Number.isFinite(v)) throw new DataError(`malformed NAS-Bench-201 table ${file}, line ${line}: '${col}' is not a number`);
      return v;
    };
    // Accuracies are in percent: anything outside 0..100 is a broken table, not a result.
    const acc = (col: string) => {
      const v = num(col);
      if (v < 0 || v > 100) throw new DataError(`malformed NAS-Bench-201 table ${file}, line ${line}: '${col}' is ${v}, not a percentage in 0..100`);
      return v;
    };
    if (table.has(arch)) throw new DataError(`malformed NAS-Bench-201 table ${file}, line ${line}: duplicate architecture ${arch}`);
    table.set(arch, { index: num('file id'), trainAcc: acc('train accuracy'), validAcc: acc('validation accuracy'), testAcc: acc('test accuracy') });
  });
  if (table.size !== SPACE_SIZE) {
    throw new DataError(`malformed NAS-Bench-201 table ${file}: ${table.size} architectures, expected ${SPACE_SIZE}`);
  }
  loaded.set(file, table);
  return table;
}
