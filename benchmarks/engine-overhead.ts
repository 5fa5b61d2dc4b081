/**
 * Engine overhead per trial on NAS-Bench-201 (a trial is a table lookup, so everything else is
 * overhead): strategy ask/tell, dedup, reward expression, store writes, bookkeeping. Reference in the
 * same run: the bare lookups of the same number of random architectures. Medians over repeats.
 *
 *   node dist/benchmarks/engine-overhead.js [--repeats 5] [--path DIR] [--out FILE.json]
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerBuiltins } from '../src/wiring/builtins.js';
import { sampleChoices } from '../src/core/choices.js';
import { Rng } from '../src/core/rng.js';
import type { ExperimentStore } from '../src/core/store.js';
import { parseRunConfig } from '../src/engine/config.js';
import { Registries } from '../src/core/registry.js';
import { runSearch } from '../src/wiring/run-search.js';
import { loadNb201Table, resolveTablePath } from '../src/evaluators/tabular/nb201-table.js';
import { NasBench201Space } from '../src/spaces/nasbench201/space.js';
import { MemoryStore } from '../src/store/memory-store.js';
import { median } from '../src/stats/summary.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { benchmarkCommand, int, parseBenchmark, writeResult } from './lib/command.js';

const o = parseBenchmark<{ repeats: number; path?: string; out?: string }>(
  benchmarkCommand('engine-overhead', 'engine overhead per trial on NAS-Bench-201 against bare table lookups; medians over repeats')
    .option('--repeats <n>', 'repeats of every case', int(1), 5)
    .option('--path <dir>', 'NAS-Bench-201 tables (default: as the evaluator finds them)')
    .option('--out <file>', 'write the rows as JSON here'),
);
const repeats = o.repeats;
const tablePath = resolveTablePath('cifar100', o.path);
const registries = registerBuiltins(new Registries());

/** Microseconds per trial of a bare lookup loop: sample, canonical string, table get. */
function lookupUs(n: number): number {
  const space = new NasBench201Space();
  const table = loadNb201Table(tablePath);
  const rng = Rng.fromSeed(1);
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink += table.get(space.canonical(space.decode(sampleChoices(space, rng))))?.validAcc ?? 0;
  const us = ((performance.now() - t0) * 1000) / n;
  if (sink === 0) throw new Error('no lookups');
  return us;
}

async function searchUs(strategy: string, runs: number, makeStore: (i: number) => ExperimentStore, checkpointEvery: number): Promise<number> {
  let trials = 0;
  const t0 = performance.now();
  for (let seed = 0; seed < runs; seed++) {
    const store = makeStore(seed);
    const cfg = parseRunConfig({ space: 'nasbench201', strategy, evaluator: { name: 'nasbench201', options: { path: tablePath } }, seed, budget: { evaluations: 150 }, checkpointEvery });
    trials += (await runSearch(cfg, { name: `o${seed}`, store, registries })).trials.length;
    store.close();
  }
  return ((performance.now() - t0) * 1000) / trials;
}

const rows: { case: string; usPerTrial: number; ratioToLookup: number }[] = [];
loadNb201Table(tablePath); // load once, outside the timings
const dir = join(tmpdir(), `tsnas-overhead-${process.pid}`);
const cases: [string, () => Promise<number>][] = [
  ['bare lookup (reference)', async () => lookupUs(30000)],
  ['random, memory store', () => searchUs('random', 100, () => new MemoryStore(), 0)],
  ['evolution, memory store', () => searchUs('evolution', 100, () => new MemoryStore(), 0)],
  ['evolution, memory store, checkpoint every trial', () => searchUs('evolution', 100, () => new MemoryStore(), 1)],
  ['evolution, SQLite store, checkpoint every trial', () => searchUs('evolution', 10, (i) => new SqliteStore(join(dir, `${Date.now()}-${i}.sqlite`)), 1)],
];
const samples = new Map<string, number[]>(cases.map(([name]) => [name, []]));
for (let r = 0; r < repeats; r++) for (const [name, fn] of cases) samples.get(name)?.push(await fn());
rmSync(dir, { recursive: true, force: true });
const ref = median(samples.get(cases[0]![0]) as number[]);
for (const [name] of cases) {
  const us = median(samples.get(name) as number[]);
  rows.push({ case: name, usPerTrial: us, ratioToLookup: us / ref });
}
console.log(`engine overhead per trial, NAS-Bench-201 CIFAR-100, 150 evaluations per run, median of ${repeats} repeats`);
console.table(rows.map((r) => ({ case: r.case, 'µs/trial': r.usPerTrial.toFixed(1), 'x lookup': r.ratioToLookup.toFixed(1) })));
writeResult(o.out, { repeats, rows });
