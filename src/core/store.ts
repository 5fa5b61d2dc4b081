import type { JsonValue } from './json.js';
import type { EngineCheckpoint, ReevaluationRecord, RungRecord, TrialRecord } from './trial.js';

export interface ExperimentMeta {
  readonly name: string;
  readonly createdAt: number;
  /** The resolved run config (space, strategy, evaluator, options, seed, budget). */
  readonly config: JsonValue;
}

/**
 * Persistent record of one experiment: its config, every trial, and the latest checkpoint.
 * `putTrial` with a checkpoint (and `putRung`) writes the result and the checkpoint atomically, so a
 * crash never leaves a completed trial without the strategy state that saw it (or the reverse).
 */
export interface ExperimentStore {
  /** Where it lives (a file path, or `:memory:`). */
  readonly location: string;
  /**
   * Folder for the per-trial state of multi-fidelity searches (`<trialsDir>/<trial number>`), kept with
   * the experiment; absent for a store that keeps nothing (the engine then uses a temporary folder).
   */
  readonly trialsDir?: string;
  meta(): ExperimentMeta | undefined;
  init(meta: ExperimentMeta): void;
  /**
   * Replaces the stored config (e.g. a resumed run that extends the budget), with the next write (trial,
   * rung, checkpoint or re-evaluation) and in its transaction: a resume refused before it wrote anything
   * leaves the stored config as it was.
   */
  updateConfig(config: JsonValue): void;
  trials(): TrialRecord[];
  trial(number: number): TrialRecord | undefined;
  /** Inserts or replaces the trial row, and with `checkpoint` stores it in the same transaction. */
  putTrial(trial: TrialRecord, checkpoint?: EngineCheckpoint): void;
  saveCheckpoint(checkpoint: EngineCheckpoint): void;
  /** Records a finished rung with the trial's updated row and the checkpoint taken after it, atomically. */
  putRung(rung: RungRecord, trial: TrialRecord, checkpoint: EngineCheckpoint): void;
  /** Finished rungs (of one trial, or all), by trial then resource. */
  rungs(trial?: number): RungRecord[];
  /** Records one top-k re-evaluation run (inserted or replaced by trial and seed). */
  putReevaluation(record: ReevaluationRecord): void;
  /** The re-evaluation runs, by trial then seed. */
  reevaluations(): ReevaluationRecord[];
  checkpoint(): EngineCheckpoint | undefined;
  close(): void;
}
