/**
 * Training runs of (pyramid, seed) on the detection proxy for the NAS-FPN benchmarks (nasfpn-proxy,
 * nasfpn-search): each run is continued rung by rung through a Piscina pool (its state kept in
 * OUT/state/ between rungs), and every finished rung is appended to OUT/runs.jsonl with the evaluator
 * options it was trained with. A rerun skips the rungs already there, so a benchmark can be split
 * across sessions; rows of other benchmarks' runs.jsonl files (`reuse`, only read) trained with the
 * same options are copied instead of trained again.
 *
 * Run (pyramid, seed) trains with seed deriveSeed(seed, 0), so rows are comparable across benchmarks;
 * a run continued from a lower rung ends bit for bit where one trained straight to its rung does.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Metrics } from '../../src/core/evaluator.js';
import type { JsonValue } from '../../src/core/json.js';
import { deriveSeed } from '../../src/core/rng.js';
import { PoolExecutor } from '../../src/exec/pool-executor.js';
import { NASFPN_OPS, NasFpnSpace, type NasFpnGenotype } from '../../src/spaces/nasfpn/index.js';

export interface PyramidJob {
  readonly label: string;
  readonly kind: string;
  readonly genotype: NasFpnGenotype;
  readonly seed: number;
}

export interface PyramidRow {
  readonly label: string;
  readonly kind: string;
  readonly key: string;
  readonly seed: number;
  readonly rung: number;
  readonly metrics: Metrics;
}

type StoredRow = PyramidRow & { readonly options: string };

export interface PyramidRunsOptions {
  /** Output folder: runs.jsonl and the state of unfinished runs. */
  readonly out: string;
  /** detection-proxy options of every run (steps = the last rung). */
  readonly evaluatorOptions: Readonly<Record<string, JsonValue>>;
  /** Increasing resources (training steps) each run is evaluated at. */
  readonly rungs: readonly number[];
  /** Other runs.jsonl files whose rows with the same options are reused (read, never written). */
  readonly reuse?: readonly string[];
}

/** Every op is allowed, so one space per cell count validates the named pyramids and any other alike. */
export const spaceFor = (cells: number): NasFpnSpace => new NasFpnSpace({ ...new NasFpnSpace().config, cells, ops: NASFPN_OPS });

/** The canonical key of a pyramid (what rows are looked up by). */
export const pyramidKey = (genotype: NasFpnGenotype): string => {
  const space = spaceFor(genotype.cells.length);
  return space.canonical(space.validate(genotype));
};

/** Options as a key-order-free string: two option sets match when they name the same values. */
const sameOptions = (o: unknown): string => JSON.stringify(Object.entries(o as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)));
const rowId = (key: string, seed: number, rung: number) => `${key}|${seed}|${rung}`;

/** The rows of a runs.jsonl file; `lenient` skips lines that do not parse (a file another process is appending to). */
function readRows(file: string, lenient: boolean): StoredRow[] {
  if (!existsSync(file)) return [];
  const rows: StoredRow[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      rows.push(JSON.parse(line) as StoredRow);
    } catch (e) {
      if (!lenient) throw e;
    }
  }
  return rows;
}

export class PyramidRuns {
  /** The options as written with each row. */
  readonly options: string;
  private readonly log: string;
  private readonly done = new Map<string, PyramidRow>();
  private readonly reusable = new Map<string, { row: PyramidRow; file: string }>();

  constructor(private readonly o: PyramidRunsOptions) {
    this.options = JSON.stringify(o.evaluatorOptions);
    this.log = join(o.out, 'runs.jsonl');
    mkdirSync(o.out, { recursive: true });
    const wanted = sameOptions(o.evaluatorOptions);
    const matches = (r: StoredRow) => sameOptions(JSON.parse(r.options)) === wanted;
    for (const r of readRows(this.log, false)) if (matches(r)) this.done.set(rowId(r.key, r.seed, r.rung), r);
    for (const file of o.reuse ?? []) {
      for (const r of readRows(file, true)) {
        const { options: _options, ...row } = r;
        if (matches(r)) this.reusable.set(rowId(r.key, r.seed, r.rung), { row, file });
      }
    }
  }

  /** Every row trained (or reused) with these options, in the order they were recorded. */
  rows(): PyramidRow[] {
    return [...this.done.values()];
  }

  /** The row of (pyramid, seed) at a rung: recorded here, or else in a reused file (`run` copies it here). */
  get(key: string, seed: number, rung: number): PyramidRow | undefined {
    const id = rowId(key, seed, rung);
    return this.done.get(id) ?? this.reusable.get(id)?.row;
  }

  /** Trains every rung of the jobs not recorded yet (each (pyramid, seed) once), one pool per cell count; `workers` 0: one per core. */
  async run(jobs: readonly PyramidJob[], workers: number): Promise<void> {
    const byCells = new Map<number, PyramidJob[]>();
    const queued = new Set<string>();
    for (const j of jobs) {
      const id = `${pyramidKey(j.genotype)}|${j.seed}`;
      if (queued.has(id)) continue;
      queued.add(id);
      byCells.set(j.genotype.cells.length, [...(byCells.get(j.genotype.cells.length) ?? []), j]);
    }
    for (const [cells, group] of byCells) {
      for (const j of group) this.reuse(j);
      const toTrain = group.filter((j) => this.missing(j).length > 0);
      if (toTrain.length > 0) await this.runGroup(cells, toTrain, workers);
    }
  }

  private missing(job: PyramidJob): number[] {
    const key = pyramidKey(job.genotype);
    return this.o.rungs.filter((rung) => !this.done.has(rowId(key, job.seed, rung)));
  }

  /** Copies the job's missing rows that the reused files have into this log. */
  private reuse(job: PyramidJob): void {
    const key = pyramidKey(job.genotype);
    for (const rung of this.missing(job)) {
      const hit = this.reusable.get(rowId(key, job.seed, rung));
      if (!hit) continue;
      this.record({ ...hit.row, label: job.label, kind: job.kind });
      process.stderr.write(`${job.label} seed ${job.seed} @${rung}: reused from ${hit.file}\n`);
    }
  }

  private record(row: PyramidRow): void {
    this.done.set(rowId(row.key, row.seed, row.rung), row);
    appendFileSync(this.log, JSON.stringify({ ...row, options: this.options }) + '\n');
  }

  private async runGroup(cells: number, group: PyramidJob[], workers: number): Promise<void> {
    const space = spaceFor(cells);
    const pool = new PoolExecutor(
      { space: { name: 'nasfpn', options: { cells, ops: NASFPN_OPS.join(',') } }, evaluator: { name: 'detection-proxy', options: this.o.evaluatorOptions }, plugins: [], cwd: process.cwd() },
      workers > 0 ? { workers } : {},
    );
    const queue = group.slice();
    const one = async (job: PyramidJob): Promise<void> => {
      const genotype = space.validate(job.genotype);
      const key = space.canonical(genotype);
      // A hash of the whole key: pyramids that share a prefix must not share a folder (a run never continues another's state).
      const stateDir = join(this.o.out, 'state', `${createHash('sha1').update(key).digest('hex').slice(0, 16)}-${job.seed}`);
      for (const rung of this.o.rungs) {
        if (this.done.has(rowId(key, job.seed, rung))) continue;
        const metrics = await pool.run({ trial: job.seed, genotype, key, seed: deriveSeed(job.seed, 0), fidelity: { resource: rung, stateDir } });
        this.record({ label: job.label, kind: job.kind, key, seed: job.seed, rung, metrics });
        process.stderr.write(`${job.label} seed ${job.seed} @${rung}: AP ${metrics.ap?.toFixed(4)} test ${metrics.test_ap?.toFixed(4)}\n`);
      }
      rmSync(stateDir, { recursive: true, force: true });
    };
    const lanes = Array.from({ length: pool.capacity }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await one(job);
    });
    try {
      await Promise.all(lanes);
    } finally {
      await pool.close();
    }
  }
}
