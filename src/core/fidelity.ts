/**
 * An evaluator's resource axis (training steps, epochs): what a multi-fidelity scheduler hands out.
 * An evaluator without one (a table lookup) is always evaluated once, at its only fidelity.
 */
export interface FidelitySpec {
  /** What the resource counts, e.g. 'steps'. */
  readonly unit: string;
  /** Smallest resource at which the metrics mean anything: a scheduler's lowest rung is at or above it. */
  readonly min: number;
  /** The top fidelity: what a plain, single-fidelity evaluation trains for. */
  readonly max: number;
}

/** What one rung of a multi-fidelity search asks of an evaluator. */
export interface FidelityRequest {
  /** Train up to this much resource in all: cumulative, so a promoted trial asks for more of the same run. */
  readonly resource: number;
  /**
   * A folder of this trial's own. The evaluator saves there what it needs to continue (weights,
   * optimizer state, position in the schedule) and, when it finds a state from a lower rung, continues
   * from it instead of starting again. Absent: train from scratch and keep nothing.
   */
  readonly stateDir?: string;
}
