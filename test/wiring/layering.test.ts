import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileImports, findCycle, folderArrows, type FileImport, type FolderArrow } from '../helpers/import-graph.js';
import { DIST, isTensorModule, modulesLoadedBy } from '../helpers/module-trace.js';

// The allowed direction (README, Concepts): entry points (src/cli, src/bench, src/report, src/index.ts) -> the
// composition root (src/wiring) -> strategies/, schedulers/ and the layers below it -> src/core.
const ENTRY_POINTS = ['src', 'src/cli', 'src/bench', 'src/report'];
const ROOT = 'src/wiring';

const arrows = folderArrows(DIST, ['src', 'strategies', 'schedulers', 'plugins']);
const describeArrows = (list: readonly FolderArrow[]) => list.map((a) => `${a.from} -> ${a.to} (${a.files.join(', ')})`);

const imports = fileImports(DIST, ['src']);
/** The imports by files under `from/` of files outside it that `allowed` (the target's path under dist) refuses. */
function refused(from: string, allowed: (to: string) => boolean): string[] {
  return imports.filter((i: FileImport) => i.from.startsWith(`${from}/`) && !i.to.startsWith(`${from}/`) && !allowed(i.to)).map((i) => `${i.from} -> ${i.to}`);
}
const under = (to: string, ...folders: string[]) => folders.some((f) => to.startsWith(`src/${f}/`));
/** The subfolders of a compiled src/ folder: the spaces, the architectures, the tasks. */
const subfolders = (folder: string) => readdirSync(join(DIST, 'src', folder), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);

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

// Layers know no space, architecture or task; an architecture is its space's genotype made of layers; a
// task (detection, classification) puts a network together and trains and scores it; the evaluators
// (proxies) use tasks. README, Concepts.
describe('the layers, architectures and tasks', () => {
  it('sees the imports it checks', () => {
    assert.ok(imports.some((i) => i.from.startsWith('src/architectures/nasnet/') && i.to.startsWith('src/nn/')));
    assert.ok(imports.some((i) => i.from.startsWith('src/tasks/detection/') && i.to.startsWith('src/architectures/nasfpn/')));
    assert.deepEqual(['classification', 'detection'].filter((t) => !subfolders('tasks').includes(t)), []);
  });

  it('has src/nn import no space, architecture, task, evaluator or data', () => {
    assert.deepEqual(refused('src/nn', (to) => !under(to, 'spaces', 'architectures', 'tasks', 'evaluators', 'train', 'data', 'metrics')), []);
  });

  it('has each architecture import layers, contracts and its own space only', () => {
    assert.deepEqual(['nasfpn', 'nasnet'].filter((a) => !subfolders('architectures').includes(a)), []);
    for (const arch of subfolders('architectures')) {
      assert.deepEqual(refused(`src/architectures/${arch}`, (to) => under(to, 'nn', 'core', 'tensor', `spaces/${arch}`)), [], arch);
    }
  });

  it('has tasks import no evaluator and no other task', () => {
    for (const task of subfolders('tasks')) {
      assert.deepEqual(refused(`src/tasks/${task}`, (to) => !under(to, 'evaluators', 'tasks', 'exec', 'engine', 'store', 'wiring')), [], task);
    }
  });
});

describe('search spaces', () => {
  for (const space of ['nasbench201', 'nasfpn', 'nasnet', 'categorical']) {
    it(`${space}: importing every file of the space loads no tensor code`, () => {
      const files = readdirSync(join(DIST, 'src/spaces', space)).filter((f) => f.endsWith('.js')).map((f) => `src/spaces/${space}/${f}`);
      const loaded = modulesLoadedBy(files);
      assert.ok(files.length > 0 && files.every((f) => loaded.some((u) => u.endsWith(`/dist/${f}`))), 'the trace sees the space itself');
      assert.deepEqual(loaded.filter(isTensorModule), []);
    });
  }
});
