import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DataError } from '../../src/core/errors.js';
import { Nb201Evaluator } from '../../src/evaluators/tabular/nb201-evaluator.js';
import { loadNb201Table, resolveTablePath } from '../../src/evaluators/tabular/nb201-table.js';
import { REAL_NB201_DIR, writeSyntheticTable } from '../helpers/nb201-fixture.js';

const ARCH = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|';

describe('NAS-Bench-201 tables', () => {
  it('loads a table and looks architectures up', async () => {
    const dir = writeSyntheticTable();
    const ev = new Nb201Evaluator(loadNb201Table(resolveTablePath('cifar100', dir, {})));
    const m = await ev.evaluate({ trial: 0, genotype: null as never, key: ARCH, seed: 0 });
    assert.ok(m.val_acc! > 69.9 && m.val_acc! < 70.1);
    assert.equal(m.test_acc, m.val_acc! - 0.5);
  });

  it('finds the table through the environment variable', () => {
    const dir = writeSyntheticTable('cifar10');
    assert.equal(resolveTablePath('cifar10', undefined, { TSNAS_NB201_DIR: dir }), join(dir, 'nasbench201_cifar10.csv'));
  });

  it('says clearly when the path is missing', () => {
    assert.throws(() => resolveTablePath('cifar100', '/nonexistent/nb201', {}), (e: unknown) => e instanceof DataError && /\/nonexistent\/nb201' does not exist/.test(e.message));
    const dir = writeSyntheticTable('cifar100');
    assert.throws(() => resolveTablePath('cifar10', dir, {}), /table for cifar10 not found/);
  });

  it('rejects malformed tables, naming the line or column', () => {
    const bad = (mutate: (l: string[]) => string[], re: RegExp) => {
      const dir = writeSyntheticTable('cifar100', mutate);
      assert.throws(() => loadNb201Table(join(dir, 'nasbench201_cifar100.csv')), (e: unknown) => e instanceof DataError && re.test(e.message));
    };
    bad((l) => [l[0]!.replace('test accuracy', 'test acc'), ...l.slice(1)], /missing column\(s\) test accuracy/);
    bad((l) => l.map((x, i) => (i === 5 ? x.replace(/,[^,]*$/, ',abc') : x)), /line 6: 'test accuracy' is not a number/);
    bad((l) => l.slice(0, 100), /99 architectures, expected 15625/);
    bad((l) => l.map((x, i) => (i === 3 ? x.replace('~0|', '~7|') : x)), /line 4: .*expected '~0'/);
  });

  it('reads the real tables when present', { skip: !existsSync(REAL_NB201_DIR) && `real tables not found at ${REAL_NB201_DIR}` }, () => {
    for (const ds of ['cifar10', 'cifar100']) {
      const t = loadNb201Table(resolveTablePath(ds, REAL_NB201_DIR, {}));
      const best = Math.max(...[...t.values()].map((r) => r.testAcc));
      assert.equal(t.size, 15625);
      assert.ok(Math.abs(best - (ds === 'cifar10' ? 91.52 : 73.51)) < 0.02, `${ds} best test ${best}`);
    }
  });
});
