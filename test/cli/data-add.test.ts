// `tsnas data add nasbench201 FILE` checks a table and installs it in the per-user data folder, where
// the evaluator finds it from any working directory.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tsnas } from '../helpers/cli.js';
import { writeSyntheticTable } from '../helpers/nb201-fixture.js';
import { tempDir } from '../helpers/run.js';

describe('tsnas data add', () => {
  it('installs a checked table that a search then finds from any folder', () => {
    const home = tempDir();
    const env = { TSNAS_DATA_DIR: home, TSNAS_NB201_DIR: undefined };
    const cwd = tempDir();
    const search = ['search', '--space', 'nasbench201', '--evaluations', '5', '--memory', '--quiet'];
    const before = tsnas(search, { env, cwd });
    assert.equal(before.code, 2);
    assert.match(before.err, /NAS-Bench-201 tables not found: run 'tsnas data add nasbench201 FILE'/);

    const file = join(writeSyntheticTable(), 'nasbench201_cifar100.csv');
    const added = tsnas(['data', 'add', 'nasbench201', file], { env, cwd });
    assert.equal(added.code, 0, added.err);
    const target = join(home, 'nasbench201', 'nasbench201_cifar100.csv');
    assert.equal(added.out, `installed the NAS-Bench-201 cifar100 table (15,625 architectures): ${target}\n`);
    assert.equal(readFileSync(target, 'utf8'), readFileSync(file, 'utf8'));
    const after = tsnas(search, { env, cwd });
    assert.equal(after.code, 0, after.err);
    assert.match(after.out, /5 evaluations/);

    const renamed = join(writeSyntheticTable('cifar10'), 'table.csv');
    renameSync(join(renamed, '..', 'nasbench201_cifar10.csv'), renamed);
    const unnamed = tsnas(['data', 'add', 'nasbench201', renamed], { env, cwd });
    assert.equal(unnamed.code, 2);
    assert.match(unnamed.err, /cannot tell the dataset of .*table\.csv from its name .*give --dataset cifar10\|cifar100/);
    assert.equal(tsnas(['data', 'add', 'nasbench201', renamed, '--dataset', 'cifar10'], { env, cwd }).code, 0);
    assert.ok(existsSync(join(home, 'nasbench201', 'nasbench201_cifar10.csv')));
  });

  it('refuses a malformed table and installs none of the files given with it', () => {
    const home = tempDir();
    const good = join(writeSyntheticTable('cifar10'), 'nasbench201_cifar10.csv');
    const bad = join(writeSyntheticTable('cifar100', (lines) => lines.slice(0, 100)), 'nasbench201_cifar100.csv');
    const r = tsnas(['data', 'add', 'nasbench201', good, bad], { env: { TSNAS_DATA_DIR: home } });
    assert.equal(r.code, 2);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.ok(!existsSync(join(home, 'nasbench201')), 'nothing installed');
  });
});
