/**
 * Training runs of (candidate, seed) at fixed rungs for the search benchmarks (nasfpn-proxy,
 * nasfpn-search, nasnet-search): each run is continued rung by rung (its state kept in OUT/state/
 * between rungs), and every finished rung is appended to OUT/runs.jsonl with the evaluator options it
 * was trained with. A rerun skips the rungs already there, so a benchmark can be split across
 * sessions; rows of other benchmarks' runs.jsonl files (`reuse`, only read) trained with the same
 * options are copied instead of trained again.
 *
 * Run (candidate, seed) trains with seed deriveSeed(seed, 0), so rows are comparable across
 * benchmarks; a run continued from a lower rung ends bit for bit where one trained straight to its
 * rung does.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Metrics } from '../../src/core/evaluator.js';
import type { Executor } from '../../src/core/executor.js';
import type { JsonValue } from '../../src/core/json.js';
import { deriveSeed } from '../../src/core/rng.js';
import type { Registries } from '../../src/core/registry.js';
import type { ComponentConfig } from '../../src/engine/config.js';
import { InlineExecutor } from '../../src/exec/inline-executor.js';
import { PoolExecutor } from '../../src/exec/pool-executor.js';

export interface CandidateJob<G> {
  readonly label: string;
  readonly kind: string;
  readonly genotype: G;
  readonly seed: number;
}

export interface CandidateRow {
  readonly label: string;
  readonly kind: string;
  readonly key: string;
  readonly seed: number;
  readonly rung: number;
  readonly metrics: Metrics;
}

type StoredRow = CandidateRow & { readonly options: string };

/**
 * How a benchmark's genotypes are grouped, checked and keyed: candidates of one group share one space
 * (one executor); the key is what rows are looked up by.
 */
export interface CandidateSpace<G> {
  /** The group a genotype belongs to (e.g. its cell or block count). */
  group(genotype: G): number;
  /** The space config of a group, as an executor builds it. */
  space(group: number): ComponentConfig;
  /** The genotype checked against its group's space (throws naming what is wrong). */
  validate(genotype: G): G;
  /** The canonical key of a valid genotype. */
  key(genotype: G): string;
  /** What a finished rung prints after the label, seed and rung. */
  describe(metrics: Metrics): string;
}

/** Builds the executor of one group: its space, the evaluator, `workers` (0: one per core). */
export type MakeExecutor = (space: ComponentConfig, evaluator: ComponentConfig, workers: number) => Executor | Promise<Executor>;

/** The default: a Piscina pool of the project's pool workers. */
export const poolExecutor: MakeExecutor = (space, evaluator, workers) => new PoolExecutor({ space, evaluator, plugins: [], cwd: process.cwd() }, workers > 0 ? { workers } : {});

export interface CandidateRunsOptions<G> {
  /** Output folder: runs.jsonl and the state of unfinished runs. */
  readonly out: string;
  readonly space: CandidateSpace<G>;
  /** The evaluator's name. */
  readonly evaluator: string;
  /** Options of every run (steps = the last rung). */
  readonly evaluatorOptions: Readonly<Record<string, JsonValue>>;
  /** Increasing resources (training steps) each run is evaluated at. */
  readonly rungs: readonly number[];
  /** Other runs.jsonl files whose rows with the same options are reused (read, never written). */
  readonly reuse?: readonly string[];
  readonly makeExecutor?: MakeExecutor;
}

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

export class CandidateRuns<G> {
  /** The options as written with each row. */
  readonly options: string;
  private readonly log: string;
  private readonly done = new Map<string, CandidateRow>();
  private readonly reusable = new Map<string, { row: CandidateRow; file: string }>();

  constructor(private readonly o: CandidateRunsOptions<G>) {
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

  /** The canonical key of a genotype (what rows are looked up by). */
  keyOf(genotype: G): string {
    return this.o.space.key(this.o.space.validate(genotype));
  }

  /** Every row trained (or reused) with these options, in the order they were recorded. */
  rows(): CandidateRow[] {
    return [...this.done.values()];
  }

  /** The row of (candidate, seed) at a rung: recorded here, or else in a reused file (`run` copies it here). */
  get(key: string, seed: number, rung: number): CandidateRow | undefined {
    const id = rowId(key, seed, rung);
    return this.done.get(id) ?? this.reusable.get(id)?.row;
  }

  /** The rows of seeds 0..seeds-1 of a candidate at a rung, those there are (as `get` finds them). */
  rowsOf(key: string, seeds: number, rung: number): CandidateRow[] {
    return Array.from({ length: seeds }, (_, seed) => this.get(key, seed, rung)).filter((r) => r !== undefined);
  }

  /** Trains every rung of the jobs not recorded yet (each (candidate, seed) once), one executor per group; `workers` 0: one per core. */
  async run(jobs: readonly CandidateJob<G>[], workers: number): Promise<void> {
    const byGroup = new Map<number, CandidateJob<G>[]>();
    const queued = new Set<string>();
    for (const j of jobs) {
      const id = `${this.keyOf(j.genotype)}|${j.seed}`;
      if (queued.has(id)) continue;
      queued.add(id);
      const group = this.o.space.group(j.genotype);
      byGroup.set(group, [...(byGroup.get(group) ?? []), j]);
    }
    for (const [group, jobsOf] of byGroup) {
      for (const j of jobsOf) this.reuse(j);
      const toTrain = jobsOf.filter((j) => this.missing(j).length > 0);
      if (toTrain.length > 0) await this.runGroup(group, toTrain, workers);
    }
  }

  private missing(job: CandidateJob<G>): number[] {
    const key = this.keyOf(job.genotype);
    return this.o.rungs.filter((rung) => !this.done.has(rowId(key, job.seed, rung)));
  }

  /** Copies the job's missing rows that the reused files have into this log. */
  private reuse(job: CandidateJob<G>): void {
    const key = this.keyOf(job.genotype);
    for (const rung of this.missing(job)) {
      const hit = this.reusable.get(rowId(key, job.seed, rung));
      if (!hit) continue;
      this.record({ ...hit.row, label: job.label, kind: job.kind });
      process.stderr.write(`${job.label} seed ${job.seed} @${rung}: reused from ${hit.file}\n`);
    }
  }

  private record(row: CandidateRow): void {
    this.done.set(rowId(row.key, row.seed, row.rung), row);
    appendFileSync(this.log, JSON.stringify({ ...row, options: this.options }) + '\n');
  }

  private async runGroup(group: number, jobs: CandidateJob<G>[], workers: number): Promise<void> {
    const executor = await (this.o.makeExecutor ?? poolExecutor)(this.o.space.space(group), { name: this.o.evaluator, options: this.o.evaluatorOptions }, workers);
    const queue = jobs.slice();
    const one = async (job: CandidateJob<G>): Promise<void> => {
      const genotype = this.o.space.validate(job.genotype);
      const key = this.o.space.key(genotype);
      // A hash of the whole key: candidates that share a prefix must not share a folder (a run never continues another's state).
      const stateDir = join(this.o.out, 'state', `${createHash('sha1').update(key).digest('hex').slice(0, 16)}-${job.seed}`);
      for (const rung of this.o.rungs) {
        if (this.done.has(rowId(key, job.seed, rung))) continue;
        const metrics = await executor.run({ trial: job.seed, genotype: genotype as never, key, seed: deriveSeed(job.seed, 0), fidelity: { resource: rung, stateDir } });
        this.record({ label: job.label, kind: job.kind, key, seed: job.seed, rung, metrics });
        process.stderr.write(`${job.label} seed ${job.seed} @${rung}: ${this.o.space.describe(metrics)}\n`);
      }
      rmSync(stateDir, { recursive: true, force: true });
    };
    const lanes = Array.from({ length: executor.capacity }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await one(job);
    });
    try {
      await Promise.all(lanes);
    } finally {
      await executor.close();
    }
  }
}

/** Evaluates in this thread (no worker start-up): for small runs and tests. */
export const inlineExecutor =
  (registries: Registries): MakeExecutor =>
  async (space, evaluator) => {
    const s = await registries.spaces.get(space.name).create(space.options);
    return new InlineExecutor(await registries.evaluators.get(evaluator.name).create(evaluator.options, s));
  };
