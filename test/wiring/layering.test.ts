import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findCycle, folderArrows, type FolderArrow } from '../helpers/import-graph.js';
import { DIST } from '../helpers/module-trace.js';

// The allowed direction (README, Concepts): entry points (src/cli, src/bench, src/report, src/index.ts) -> the
// composition root (src/wiring) -> strategies/, schedulers/ and the layers below it -> src/core.
const ENTRY_POINTS = ['src', 'src/cli', 'src/bench', 'src/report'];
const ROOT = 'src/wiring';

const arrows = folderArrows(DIST, ['src', 'strategies', 'schedulers', 'plugins']);
const describeArrows = (list: readonly FolderArrow[]) => list.map((a) => `${a.from} -> ${a.to} (${a.files.join(', ')})`);

describe('import graph of the compiled tree', () => {
  it('sees the arrows it checks', () => {
    assert.ok(arrows.some((a) => a.from === ROOT && a.to === 'strategies'));
    assert.ok(arrows.some((a) => a.from === 'src/engine' && a.to === 'src/core'));
  });

  it('has no folder-level cycle', () => {
    assert.equal(findCycle(arrows)?.join(' -> ') ?? null, null);
  });

  it('has no arrow into the composition root except from the entry points', () => {
    assert.deepEqual(describeArrows(arrows.filter((a) => a.to === ROOT && !ENTRY_POINTS.includes(a.from))), []);
  });

  it('has strategies and schedulers imported by the composition root alone', () => {
    const into = arrows.filter((a) => (a.to === 'strategies' || a.to === 'schedulers') && a.from !== ROOT && a.from !== 'strategies' && a.from !== 'schedulers');
    assert.deepEqual(describeArrows(into), []);
  });
});
