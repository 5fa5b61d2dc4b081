import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ConfigError, DataError } from '../core/errors.js';
import { INPUT_LIMITS, readInputFile } from '../core/input-file.js';
import type { BenchRecords } from './bench-summary.js';
import type { BenchConfig, BenchResult } from './tabular-bench.js';

/** One bench.json to merge, with where it came from (named in messages). */
export interface BenchShard {
  readonly source: string;
  readonly result: BenchResult;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads FOLDER/bench.json (or the file named) and checks that it holds what a merge needs: the config and every run's trace. */
export function readBenchShard(path: string): BenchShard {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'bench.json') : path;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readInputFile(file, 'bench result', INPUT_LIMITS.benchResult).toString('utf8'));
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`${file} is not JSON: ${(e as Error).message}`, { cause: e });
  }
  const r = isObject(parsed) ? parsed : {};
  const c = isObject(r.config) ? r.config : {};
  if (!Array.isArray(c.entries) || !Number.isInteger(c.seeds) || !Number.isInteger(c.seedStart) || !Number.isInteger(c.evaluations) || !Array.isArray(r.runs) || !Array.isArray(r.failures)) {
    throw new DataError(`${file} is not a tsnas bench.json (no config with entries, seeds, seedStart and evaluations, or no runs and failures)`);
  }
  const untraced = (r.runs as unknown[]).find((run) => !isObject(run) || !Array.isArray(run.trace) || run.trace.length !== c.evaluations);
  if (untraced !== undefined) throw new DataError(`${file}: a run has no full trace (${c.evaluations as number} values); it was written before bench.json held traces, so rerun that shard`);
  return { source: file, result: { ...(r as unknown as BenchResult), optimum: (r.optimum as number | null | undefined) ?? null } };
}

/** The config without its seed range: what every shard must share. */
function sharedPart(config: BenchConfig): Record<string, unknown> {
  const { seeds: _seeds, seedStart: _seedStart, ...rest } = config;
  return rest;
}

/**
 * The records of one benchmark from shards run with the same config over disjoint seed ranges that
 * together are contiguous: runs and failures in the order one run over all the seeds gives them.
 * Refuses, naming the difference, shards of different configs, overlapping seeds or a gap between them.
 */
export function mergeBenchShards(shards: readonly BenchShard[]): BenchRecords {
  const [first, ...others] = shards;
  if (first === undefined || others.length === 0) throw new ConfigError('--merge', 'name at least two bench folders (or bench.json files)');
  const base = sharedPart(first.result.config);
  for (const s of others) {
    const mine = sharedPart(s.result.config);
    const key = [...new Set([...Object.keys(base), ...Object.keys(mine)])].find((k) => !isDeepStrictEqual(base[k], mine[k]));
    if (key !== undefined) {
      throw new ConfigError('--merge', `${s.source} was run with another ${key} than ${first.source} (${JSON.stringify(mine[key]) ?? 'none'} against ${JSON.stringify(base[key]) ?? 'none'}); shards may differ in their seeds only`);
    }
    if (s.result.optimum !== first.result.optimum) throw new ConfigError('--merge', `${s.source} has another optimum than ${first.source} (${s.result.optimum} against ${first.result.optimum}): the table changed between the runs`);
  }
  const ranges = shards.map((s) => ({ source: s.source, start: s.result.config.seedStart, end: s.result.config.seedStart + s.result.config.seeds - 1 })).sort((a, b) => a.start - b.start);
  ranges.reduce((prev, next) => {
    if (next.start <= prev.end) throw new ConfigError('--merge', `seeds ${next.start}–${Math.min(prev.end, next.end)} are in both ${prev.source} and ${next.source}`);
    if (next.start > prev.end + 1) throw new ConfigError('--merge', `seeds ${prev.end + 1}–${next.start - 1} are in no shard (${prev.source} ends at ${prev.end}, ${next.source} starts at ${next.start})`);
    return next;
  });
  const labels = first.result.config.entries.map((e) => e.label);
  const order = (a: { label: string; seed: number }, b: { label: string; seed: number }) => labels.indexOf(a.label) - labels.indexOf(b.label) || a.seed - b.seed;
  const all = shards.map((s) => s.result);
  return {
    config: { ...first.result.config, seedStart: (ranges[0] as { start: number }).start, seeds: all.reduce((n, r) => n + r.config.seeds, 0) },
    reportMetric: all.find((r) => r.reportMetric !== '')?.reportMetric ?? '',
    optimum: first.result.optimum,
    runs: all.flatMap((r) => r.runs).sort(order),
    failures: all.flatMap((r) => r.failures).sort(order),
    totalMs: all.reduce((t, r) => t + r.totalMs, 0),
  };
}
