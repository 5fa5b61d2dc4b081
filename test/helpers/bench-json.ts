import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A bench.json as the tests read it. */
export interface BenchJson {
  config: { seeds: number; seedStart: number; checkpoints: number[] };
  optimum: number | null;
  runs: { label: string; seed: number; atCheckpoints: number[]; trace: number[]; ms: number }[];
  failures: { label: string; seed: number; error: string }[];
  summaries: { label: string; meanMsPerRun: number; atCheckpoints: { mean: number; n: number }[]; regret?: { mean: number; std: number; median: number }[] }[];
  pairwise: { a: string; b: string; p: number; pHolm: number }[];
  totalMs: number;
}

export const readBench = (dir: string): BenchJson => JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8')) as BenchJson;

/** The result without what the clock decides (run times), so two benchmarks of the same runs compare equal. */
export function withoutTimings(r: BenchJson): unknown {
  return { ...r, totalMs: 0, runs: r.runs.map((run) => ({ ...run, ms: 0 })), summaries: r.summaries.map((s) => ({ ...s, meanMsPerRun: 0 })) };
}
