import type { JsonValue } from '../core/json.js';
import type { ExperimentMeta, ExperimentStore } from '../core/store.js';
import type { EngineCheckpoint, ReevaluationRecord, RungRecord, TrialRecord } from '../core/trial.js';

/**
 * Keeps an experiment in memory: for tests and for benchmarks that run thousands of searches.
 * Records are treated as immutable values, so they are kept by reference.
 */
export class MemoryStore implements ExperimentStore {
  readonly location = ':memory:';
  private metaValue: ExperimentMeta | undefined;
  private readonly rows = new Map<number, TrialRecord>();
  private readonly reevaluationRows = new Map<string, ReevaluationRecord>();
  /** Finished rungs by `trial:resource`. */
  private readonly rungRows = new Map<string, RungRecord>();
  private latest: EngineCheckpoint | undefined;
  /** As in the SQLite store: a config update lands with the next write. */
  private pendingConfig: JsonValue | undefined;

  meta(): ExperimentMeta | undefined {
    return this.metaValue;
  }

  init(meta: ExperimentMeta): void {
    this.metaValue = meta;
  }

  updateConfig(config: JsonValue): void {
    this.pendingConfig = config;
  }

  private flushConfig(): void {
    if (this.metaValue && this.pendingConfig !== undefined) this.metaValue = { ...this.metaValue, config: this.pendingConfig };
    this.pendingConfig = undefined;
  }

  trials(): TrialRecord[] {
    return [...this.rows.values()].sort((a, b) => a.number - b.number);
  }

  trial(number: number): TrialRecord | undefined {
    return this.rows.get(number);
  }

  putTrial(trial: TrialRecord, checkpoint?: EngineCheckpoint): void {
    this.flushConfig();
    this.rows.set(trial.number, trial);
    if (checkpoint) this.latest = checkpoint;
  }

  saveCheckpoint(checkpoint: EngineCheckpoint): void {
    this.flushConfig();
    this.latest = checkpoint;
  }

  putRung(rung: RungRecord, trial: TrialRecord, checkpoint: EngineCheckpoint): void {
    this.rungRows.set(`${rung.trial}:${rung.resource}`, rung);
    this.putTrial(trial, checkpoint);
  }

  putReevaluation(record: ReevaluationRecord): void {
    this.flushConfig();
    this.reevaluationRows.set(`${record.trial}:${record.seed}`, record);
  }

  reevaluations(): ReevaluationRecord[] {
    return [...this.reevaluationRows.values()].sort((a, b) => a.trial - b.trial || a.seed - b.seed);
  }

  rungs(trial?: number): RungRecord[] {
    return [...this.rungRows.values()].filter((r) => trial === undefined || r.trial === trial).sort((a, b) => a.trial - b.trial || a.resource - b.resource);
  }

  checkpoint(): EngineCheckpoint | undefined {
    return this.latest;
  }

  close(): void {}
}
