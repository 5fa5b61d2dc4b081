import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ExperimentStore } from '../core/store.js';

/**
 * The folders where multi-fidelity trials keep their training state between rungs: `<trialsDir>/<n>`
 * beside a persistent store (so a resumed search continues them), or a temporary folder for a store
 * that keeps nothing, removed when the search ends.
 */
export class TrialDirs {
  private constructor(
    readonly root: string,
    private readonly temporary: boolean,
  ) {}

  static for(store: ExperimentStore): TrialDirs {
    if (store.trialsDir !== undefined) return new TrialDirs(resolve(store.trialsDir), false);
    return new TrialDirs(mkdtempSync(join(tmpdir(), 'tsnas-trials-')), true);
  }

  /** The trial's folder (created), absolute so that pool workers find it too. */
  of(trial: number): string {
    const dir = join(this.root, String(trial));
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  release(): void {
    if (this.temporary) rmSync(this.root, { recursive: true, force: true });
  }
}
