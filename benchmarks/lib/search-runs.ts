/**
 * Runs a search benchmark's experiments one after another in a runs folder: a stored one resumes, a
 * finished one with the same identity, budget and top-k is not run again; each session is logged
 * (benchmarks/lib/search-sessions.ts). The first Ctrl-C stops cleanly (no new trials; a rerun
 * resumes), a second one, or one after the searches, quits.
 */
import { attachProgress } from '../../src/cli/progress.js';
import type { Registries } from '../../src/core/registry.js';
import { identityOf, type RunConfig } from '../../src/engine/config.js';
import type { RunsFolder } from '../../src/store/runs-folder.js';
import { runSearch } from '../../src/wiring/run-search.js';
import type { SearchSessions } from './search-sessions.js';
import type { SearchSummary } from './search-summary.js';

export interface PlannedSearch {
  readonly strategy: string;
  readonly config: RunConfig;
  /** The experiment's name in the runs folder. */
  readonly name: string;
}

export interface SearchRunsOptions {
  readonly folder: RunsFolder;
  readonly sessions: SearchSessions;
  readonly registries: Registries;
  /** The stored experiment summarized (null when there is none). */
  readonly read: (search: PlannedSearch) => Promise<SearchSummary<unknown> | null>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Stops on Ctrl-C: `signal` aborts on the first one while `searching`, a second one (or any after) quits. */
export function interruptible(): { readonly signal: AbortSignal; searchesDone(): void } {
  const controller = new AbortController();
  let searching = true;
  process.on('SIGINT', () => {
    // Candidate rows are appended as they finish: quitting loses only the runs in flight.
    if (controller.signal.aborted || !searching) process.exit(130);
    process.stderr.write('\nstopping: no new trials; waiting for running ones (Ctrl-C again to quit now); a rerun resumes\n');
    controller.abort();
  });
  return { signal: controller.signal, searchesDone: () => void (searching = false) };
}

/** Runs (or resumes) each planned search not finished yet, until `signal` aborts. */
export async function runSearches(searches: readonly PlannedSearch[], o: SearchRunsOptions, signal: AbortSignal): Promise<void> {
  for (const search of searches) {
    const { strategy, config, name } = search;
    if (signal.aborted) break;
    const stored = await o.read(search);
    if (stored?.finished && identityOf(stored.config) === identityOf(config) && same(stored.config.budget, config.budget) && same(stored.config.reevaluate, config.reevaluate)) {
      process.stderr.write(`== ${name}: finished (${o.folder.pathOf(name)}), not run again\n`);
      continue;
    }
    process.stderr.write(`== ${name}: ${stored !== null ? 'resuming' : 'starting'} ${strategy} ${JSON.stringify(config.strategy.options)}, ${config.budget.evaluations} evaluations (${o.folder.pathOf(name)})\n`);
    const store = o.folder.open(name);
    o.sessions.start(name);
    let stopProgress = () => undefined as void;
    try {
      await runSearch(config, {
        name,
        store,
        registries: o.registries,
        signal,
        onEngine: (engine) => {
          stopProgress = attachProgress(engine, config.budget.evaluations ?? Infinity);
        },
        onReevaluate: (trials, seeds) => {
          stopProgress();
          o.sessions.topK(name);
          process.stderr.write(`${name}: re-evaluating the top ${trials.length} (trials ${trials.join(', ')}) over ${seeds} seeds\n`);
        },
      });
    } finally {
      stopProgress();
      store.close();
      o.sessions.end(name);
    }
  }
}
