/**
 * Hand-designed pyramids against the published NAS-FPN cell and the best pyramid a search found, all
 * trained with the same proxy budget over several seeds (one Piscina worker per core).
 *
 *   node dist/benchmarks/nasfpn-baselines.js [--seeds 3] [--best-from runs/NAME] [--evaluator-opt steps=300 ...]
 *
 * Prints a Markdown table (AP mean ± std, AP50, APs/m/l, params, FLOPs, training images/s) and writes
 * JSON (default bench-out/nasfpn-baselines.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { parseKeyValues } from '../src/cli/kv.js';
import { deriveSeed } from '../src/core/rng.js';
import type { Metrics } from '../src/core/evaluator.js';
import { PoolExecutor } from '../src/exec/pool-executor.js';
import { NAMED_PYRAMIDS, NasFpnSpace, type NasFpnGenotype } from '../src/spaces/nasfpn/index.js';
import { summarize } from '../src/stats/summary.js';
import { RunsFolder } from '../src/store/runs-folder.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' },
    workers: { type: 'string', default: '0' },
    'best-from': { type: 'string' },
    'runs-dir': { type: 'string', default: 'runs' },
    'evaluator-opt': { type: 'string', multiple: true, default: [] },
    out: { type: 'string', default: 'bench-out/nasfpn-baselines.json' },
  },
});
const seeds = Number(values.seeds);
const evaluatorOptions = parseKeyValues('--evaluator-opt', values['evaluator-opt']);

/** The best complete trial of a stored NAS-FPN search. */
function bestOf(name: string): { label: string; genotype: NasFpnGenotype; cells: number } {
  const store = new RunsFolder(values['runs-dir'] as string).read(name);
  try {
    const best = store.trials().filter((t) => t.status === 'complete').sort((a, b) => (b.reward as number) - (a.reward as number))[0];
    if (!best) throw new Error(`experiment ${name} has no complete trial`);
    const genotype = best.genotype as unknown as NasFpnGenotype;
    return { label: `search best (${name} #${best.number})`, genotype, cells: genotype.cells.length };
  } finally {
    store.close();
  }
}

const entries = Object.entries(NAMED_PYRAMIDS).map(([label, genotype]) => ({ label, genotype, cells: genotype.cells.length }));
if (values['best-from']) entries.push(bestOf(values['best-from']));

const rows: { label: string; key: string; runs: Metrics[] }[] = [];
for (const e of entries) {
  const space = new NasFpnSpace({ ...new NasFpnSpace().config, cells: e.cells });
  const genotype = space.validate(e.genotype);
  const key = space.canonical(genotype);
  const pool = new PoolExecutor(
    { space: { name: 'nasfpn', options: { cells: e.cells } }, evaluator: { name: 'detection-proxy', options: evaluatorOptions }, plugins: [], cwd: process.cwd() },
    Number(values.workers) > 0 ? { workers: Number(values.workers) } : {},
  );
  const started = performance.now();
  const runs = await Promise.all(Array.from({ length: seeds }, (_, s) => pool.run({ trial: s, genotype, key, seed: deriveSeed(s, 0) })));
  await pool.close();
  rows.push({ label: e.label, key, runs });
  process.stderr.write(`${e.label}: AP ${runs.map((m) => m.ap?.toFixed(4)).join(', ')} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
}

const fmt = (xs: number[], digits = 4) => {
  const s = summarize(xs);
  return `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}`;
};
const col = (r: (typeof rows)[number], k: string) => r.runs.map((m) => m[k] as number);
const lines = [
  `proxy: detection-proxy ${JSON.stringify(evaluatorOptions)}; ${seeds} seeds; mean ± std`,
  '',
  '| pyramid | AP | AP50 | APs | APm | APl | params | GFLOPs/img | train img/s |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.label} | ${fmt(col(r, 'ap'))} | ${fmt(col(r, 'ap50'))} | ${fmt(col(r, 'apS'), 3)} | ${fmt(col(r, 'apM'), 3)} | ${fmt(col(r, 'apL'), 3)} | ${col(r, 'params')[0]} | ${((col(r, 'flops')[0] as number) / 1e9).toFixed(3)} | ${fmt(col(r, 'imagesPerSecond'), 1)} |`,
  ),
];
console.log(lines.join('\n'));
mkdirSync(dirname(values.out as string), { recursive: true });
writeFileSync(values.out as string, JSON.stringify({ seeds, evaluatorOptions, rows }, null, 2));
