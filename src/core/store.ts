import type { JsonValue } from './json.js';
import type { EngineCheckpoint, TrialRecord } from './trial.js';

export interface ExperimentMeta {
  readonly name: string;
  readonly createdAt: number;
  /** The resolved run config (space, strategy, evaluator, options, seed, budget). */
  readonly config: JsonValue;
}

/**
 * Persistent record of one experiment: its config, every trial, and the latest checkpoint.
 * `finishTrial` writes the result and the checkpoint atomically, so a crash never leaves a
 * completed trial without the strategy state that saw it (or the reverse).
 */
export interface ExperimentStore {
  /** Where it lives (a file path, or `:memory:`). */
  readonly location: string;
  meta(): ExperimentMeta | undefined;
  init(meta: ExperimentMeta): void;
  /** Replaces the stored config (e.g. a resumed run that extends the budget). */
  updateConfig(config: JsonValue): void;
  trials(): TrialRecord[];
  trial(number: number): TrialRecord | undefined;
  /** Inserts or replaces the trial row. */
  putTrial(trial: TrialRecord, checkpoint?: EngineCheckpoint): void;
  saveCheckpoint(checkpoint: EngineCheckpoint): void;
  checkpoint(): EngineCheckpoint | undefined;
  close(): void;
}
