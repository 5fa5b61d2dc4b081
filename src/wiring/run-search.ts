import type { Evaluator } from '../core/evaluator.js';
import type { Executor } from '../core/executor.js';
import type { ExperimentStore } from '../core/store.js';
import type { RunConfig } from '../engine/config.js';
import type { DependencyContainer } from 'tsyringe';
import { attachConfig } from '../engine/attach-config.js';
import type { RewardExpression } from '../engine/reward.js';
import { TOKENS } from '../engine/tokens.js';
import { buildParts, composeEngine, resolveEngine, runContainer, type RunParts } from './container.js';
import type { Registries } from '../core/registry.js';
import { reevaluateTop, topCandidates, type ReevaluatedCandidate } from '../engine/reevaluate.js';
import type { SearchEngine, SearchOutcome } from '../engine/search-engine.js';

export interface RunSearchOptions {
  readonly name: string;
  /** The experiment's store, or how to open it: called once the whole config has been checked and its parts built. */
  readonly store: ExperimentStore | (() => ExperimentStore);
  readonly registries: Registries;
  readonly signal?: AbortSignal;
  /** Called with the engine before it starts (to attach progress listeners). */
  readonly onEngine?: (engine: SearchEngine) => void;
  readonly makeExecutor?: (evaluator: Evaluator) => Executor;
  /** On `signal`, cancel running trials (they stay `running`; a resume evaluates them) instead of waiting for them. */
  readonly cancelOnStop?: boolean;
  /**
   * For a resume: a read-only view of the stored experiment, on which an engine first checks that it can
   * resume (rows, checkpoint, strategy and scheduler states) before `store` is opened; closed after.
   */
  readonly resumable?: () => ExperimentStore;
  /** Called once the parts are built (everything in the config checked), before any store is opened. */
  readonly onParts?: (parts: RunParts) => void | Promise<void>;
  /** Called when top-k re-evaluation starts, with the candidates' trial numbers. */
  readonly onReevaluate?: (trials: readonly number[], seeds: number) => void;
  /** Components registered here under the engine's TOKENS replace those built from the config (see runContainer). */
  readonly container?: DependencyContainer;
}

export interface RunResult extends SearchOutcome {
  /** The metric reported for the returned architecture (e.g. test accuracy). */
  readonly reportMetric: string;
  /** The best value of the reported metric over the whole space, where the evaluator knows it (a table); else null. */
  readonly reportOptimum: number | null;
  /** Top-k re-evaluation, best mean reward first (empty when not configured or the search was interrupted). */
  readonly reevaluated: readonly ReevaluatedCandidate[];
}

/**
 * Builds a run from its config, attaches it to the store (new or resumed), runs it and releases
 * everything but the store (its opener closes it). Nothing is written before the config has proved
 * buildable: a rejected config leaves no store behind.
 */
export async function runSearch(config: RunConfig, o: RunSearchOptions): Promise<RunResult> {
  const parts = await buildParts(config, o.registries, o.makeExecutor);
  try {
    if (o.resumable) {
      const view = o.resumable();
      try {
        composeEngine(parts, view, config, o.container).checkResumable();
      } finally {
        view.close();
      }
    }
    await o.onParts?.(parts);
    const store = typeof o.store === 'function' ? o.store() : o.store;
    attachConfig(store, o.name, config);
    const c = runContainer(parts, store, config, o.container, o.cancelOnStop !== undefined ? { cancelOnStop: o.cancelOnStop } : {});
    const engine = resolveEngine(c);
    o.onEngine?.(engine);
    const outcome = await engine.run(o.signal);
    const reportMetric = parts.evaluator.reportMetric ?? parts.evaluator.primaryMetric;
    let reevaluated: ReevaluatedCandidate[] = [];
    // An interrupted search stops here; its resume runs the re-evaluation (the runs done so far are kept).
    if (config.reevaluate && outcome.stoppedBy !== 'signal' && !o.signal?.aborted) {
      const candidates = topCandidates(outcome.trials, config.reevaluate.top);
      o.onReevaluate?.(candidates.map((t) => t.number), config.reevaluate.seeds);
      reevaluated = await reevaluateTop(candidates, config.reevaluate, { executor: c.resolve<Executor>(TOKENS.Executor), reward: c.resolve<RewardExpression>(TOKENS.Reward), reportMetric, experimentSeed: config.seed, log: store, ...(o.signal ? { signal: o.signal } : {}) });
    }
    return { ...outcome, reportMetric, reportOptimum: parts.evaluator.optimum?.(reportMetric) ?? null, reevaluated };
  } finally {
    parts.strategy.dispose?.();
    await parts.executor.close();
  }
}
