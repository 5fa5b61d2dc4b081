import type { ExperimentStore } from '../../src/core/store.js';
import type { RunConfig } from '../../src/engine/config.js';
import { median } from '../../src/stats/summary.js';
import { runSearch, type RunSearchOptions } from '../../src/wiring/run-search.js';

// The project's one median (the mean of the two middle values of an even count), re-exported for the benchmarks.
export { median };

/** How one search spent its time on trials of a known evaluation time (the executor benchmarks' sample). */
export interface TrialTiming {
  /** Whole run: executor start-up, evaluations, store, shutdown. */
  wallMs: number;
  /** Until the first result: start-up, evaluator setup, one evaluation. */
  firstMs: number;
  /** Steady state: time between results, per trial, once every worker has delivered its first one. */
  periodMs: number;
  /** Median over trials of (result - start) - evaluation time: dispatch, transport, round trip, tell, store write. */
  latencyOverheadMs: number;
  /** Median evaluation time: as the evaluator reported it (metric evalMs), else the one given. */
  evalMs: number;
}

export interface TimedSearch extends Pick<RunSearchOptions, 'registries' | 'makeExecutor' | 'onParts'> {
  readonly config: RunConfig;
  readonly store: ExperimentStore;
  /** The evaluator's time per trial, taken off each trial's latency unless it reports its own as the metric evalMs. */
  readonly evalMs: number;
  /** Evaluations that run at once: the first result of each is left out of the steady state. */
  readonly workers: number;
}

/** Runs a search, timing each trial from the engine's start event to its result. */
export async function timeSearch(o: TimedSearch): Promise<TrialTiming> {
  const started = new Map<number, number>();
  const finished: number[] = [];
  const latencies: number[] = [];
  const evals: number[] = [];
  const t0 = performance.now();
  await runSearch(o.config, {
    name: 'bench',
    store: o.store,
    registries: o.registries,
    ...(o.makeExecutor ? { makeExecutor: o.makeExecutor } : {}),
    ...(o.onParts ? { onParts: o.onParts } : {}),
    onEngine: (engine) => {
      engine.on('start', (t) => started.set(t.number, performance.now()));
      engine.on('trial', (t, replayed) => {
        if (replayed || t.status !== 'complete') return;
        const now = performance.now();
        finished.push(now);
        // The evaluator's own measure of its time where it reports one (it varies with the load).
        const evalMs = t.metrics?.evalMs ?? o.evalMs;
        evals.push(evalMs);
        latencies.push(now - (started.get(t.number) as number) - evalMs);
      });
    },
  });
  const wallMs = performance.now() - t0;
  const steady = finished.slice(o.workers - 1);
  return {
    wallMs,
    firstMs: (finished[0] as number) - t0,
    periodMs: ((steady.at(-1) as number) - (steady[0] as number)) / (steady.length - 1),
    // The first trial of each worker waits for its start-up: leave those out.
    latencyOverheadMs: median(latencies.slice(o.workers)),
    evalMs: median(evals),
  };
}
