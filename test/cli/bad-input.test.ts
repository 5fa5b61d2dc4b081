// Bad input of every kind (genotypes, config files, options, tables, plugins, stores, rewards): exit 1
// (usage) or 2 (bad input or data), one line on stderr naming the problem, no stack trace, and the runs
// folder exactly as it was (nothing created, nothing rewritten).
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { cpSync, mkdirSync, openSync, closeSync, writeSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { BAD_PLUGIN } from '../helpers/bad-plugin.js';
import { folderHash, tsnas, tsnasAsync, type CliResult } from '../helpers/cli.js';
import { writeSyntheticTable } from '../helpers/nb201-fixture.js';
import { tempDir } from '../helpers/run.js';

interface Case {
  readonly label: string;
  readonly args: readonly string[];
  readonly code: 1 | 2;
  readonly message: RegExp;
  readonly env?: Readonly<Record<string, string>>;
  /** Which runs folder the case gets a copy of: the full fixture, or one with a single damaged store beside a good one (for list). */
  readonly runs?: 'main' | 'list';
}

const NO_REGISTER = join(process.cwd(), 'dist', 'test', 'helpers', 'no-register-plugin.js');

describe('bad input', () => {
  let table: string;
  let cfg: string; // config files, genotype files and bad tables
  let mainRuns: string;
  let listRuns: string;
  const cases: Case[] = [];

  before(() => {
    table = writeSyntheticTable();
    cfg = tempDir();
    mainRuns = join(tempDir(), 'runs');
    listRuns = join(tempDir(), 'runs');
    const env = { TSNAS_NB201_DIR: table };
    const made = tsnas(['search', '--space', 'nasbench201', '--runs-dir', mainRuns, '--name', 'good', '--evaluations', '20', '--seed', '3', '--quiet'], { env });
    assert.equal(made.code, 0, made.err);
    const big = tsnas(['search', '--space', 'nasbench201', '--runs-dir', mainRuns, '--name', 'big', '--evaluations', '150', '--seed', '3', '--quiet'], { env });
    assert.equal(big.code, 0, big.err);
    const good = join(mainRuns, 'good.sqlite');
    const edit = (name: string, sql: string) => {
      copyFileSync(good, join(mainRuns, `${name}.sqlite`));
      const db = new Database(join(mainRuns, `${name}.sqlite`));
      db.exec(sql);
      db.close();
    };
    edit('badjson', "UPDATE trials SET metrics = '{bad' WHERE number = 3");
    edit('badchoices', "UPDATE trials SET choices = '\"x\"' WHERE number = 2");
    edit('badconfig', "UPDATE experiment SET config = '{oops' WHERE id = 1");
    edit('badck', "UPDATE checkpoints SET state = 'nope' WHERE id = (SELECT MAX(id) FROM checkpoints)");
    edit('badstate', `UPDATE checkpoints SET state = json_set(state, '$.strategy', json('{"bogus":1}')) WHERE id = (SELECT MAX(id) FROM checkpoints)`);
    edit('future', 'PRAGMA user_version = 99');
    const foreign = new Database(join(mainRuns, 'foreign.sqlite'));
    foreign.exec("CREATE TABLE users (id INTEGER, name TEXT); INSERT INTO users VALUES (1, 'ada')");
    foreign.close();
    writeFileSync(join(mainRuns, 'empty.sqlite'), '');
    writeFileSync(join(mainRuns, 'text.sqlite'), 'this is not a database\n'.repeat(50));
    // Damaged pages in the middle of a store's trials.
    copyFileSync(join(mainRuns, 'big.sqlite'), join(mainRuns, 'corrupt.sqlite'));
    const fd = openSync(join(mainRuns, 'corrupt.sqlite'), 'r+');
    writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, 4096);
    closeSync(fd);
    mkdirSync(listRuns, { recursive: true });
    copyFileSync(good, join(listRuns, 'good.sqlite'));
    copyFileSync(join(mainRuns, 'badjson.sqlite'), join(listRuns, 'badjson.sqlite'));

    const file = (name: string, text: string | Buffer) => {
      const path = join(cfg, name);
      writeFileSync(path, text);
      return path;
    };
    const tableWith = (mutate: (lines: string[]) => string[]) => writeSyntheticTable('cifar100', mutate);
    const setCol = (col: number, value: string) => (lines: string[]) => lines.map((l, i) => (i === 1 ? l.split(',').map((c, j) => (j === col ? value : c)).join(',') : l));

    const nb = ['search', '--space', 'nasbench201', '--runs-dir', '{runs}', '--name', 'new', '--seed', '3', '--quiet'];
    const resume = (name: string, ...more: string[]) => ['search', '--space', 'nasbench201', '--runs-dir', '{runs}', '--name', name, '--evaluations', '20', '--seed', '3', '--quiet', '--resume', ...more];
    const train = (genotype: string, space = 'nasbench201') => ['train', '--space', space, '--genotype', genotype];
    const withConfig = (name: string, body: string) => ['search', '--config', file(name, body), '--runs-dir', '{runs}', '--name', 'new', '--quiet'];
    const add = (label: string, args: readonly string[], code: 1 | 2, message: RegExp, extra: Partial<Case> = {}) => cases.push({ label, args, code, message, ...extra });

    // --- genotypes (tsnas train) ---
    add('genotype: a folder', train(cfg), 2, /--genotype file '.*' is a folder, not a file/);
    add('genotype: /dev/zero', train('/dev/zero'), 2, /--genotype file '\/dev\/zero' is not a regular file/);
    add('genotype: a 2 MB file', train(file('big.json', Buffer.alloc(2 * 1024 * 1024, 0x20))), 2, /--genotype file '.*' is 2\.0 MB; at most 1 MB/);
    add('genotype: an unknown name', train('nope'), 2, /'nope' is not a named nasbench201 genotype/);
    add('genotype: JSON null', train(file('null.json', 'null')), 2, /invalid genotype/);
    add('genotype: empty object', train(file('obj.json', '{}')), 2, /invalid genotype/);
    add('genotype: edges of the wrong type', train(file('edges.json', '{"edges":[1,2]}')), 2, /invalid genotype/);
    add('genotype: a bad canonical string', train('|nor_conv_9x9~0|'), 2, /invalid genotype|unknown op/);
    add('genotype: NAS-FPN cells missing', train(file('fpn1.json', '{"cells": []}'), 'nasfpn'), 2, /invalid genotype/);
    add('genotype: NAS-FPN bad level', train(file('fpn2.json', JSON.stringify({ cells: Array.from({ length: 7 }, () => ({ inputs: [0, 1], level: 99, op: 'sum' })) })), 'nasfpn'), 2, /invalid genotype: cells\[0\]/);
    add('genotype: missing value', ['train', '--genotype'], 1, /argument missing/);
    add('train: bad seed', [...train('|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|'), '--seed', '0x10'], 2, /--seed: expected a non-negative integer, got '0x10'/);

    // --- config files ---
    add('config: null', withConfig('null.json', 'null'), 2, /--config: .* must hold a JSON object .*not null/);
    add('config: an array', withConfig('arr.json', '[1]'), 2, /must hold a JSON object .*not an array/);
    add('config: not JSON', withConfig('bad.json', '{space:'), 2, /is not valid JSON/);
    add('config: a folder', ['search', '--config', cfg, '--runs-dir', '{runs}'], 2, /--config file '.*' is a folder/);
    add('config: /dev/zero', ['search', '--config', '/dev/zero', '--runs-dir', '{runs}'], 2, /--config file '\/dev\/zero' is not a regular file/);
    add('config: missing', ['search', '--config', join(cfg, 'none.json'), '--runs-dir', '{runs}'], 2, /cannot read --config file .*no such file/);
    add('config: too big', ['search', '--config', file('huge.json', `{"x": "${'a'.repeat(1_100_000)}"}`), '--runs-dir', '{runs}'], 2, /at most 1 MB/);
    const c = (over: Record<string, unknown>) => JSON.stringify({ space: 'nasbench201', strategy: 'random', evaluator: 'nasbench201', budget: { evaluations: 5 }, ...over });
    add('config: budget {}', withConfig('b1.json', c({ budget: {} })), 2, /budget: give budget\.evaluations and\/or budget\.seconds/);
    add('config: budget [5]', withConfig('b2.json', c({ budget: [5] })), 2, /budget: expected an object/);
    add('config: budget unknown key', withConfig('b3.json', c({ budget: { evals: 5 } })), 2, /budget\.evals: unknown field/);
    add('config: budget 0', withConfig('b4.json', c({ budget: { evaluations: 0 } })), 2, /budget\.evaluations: expected a positive integer/);
    add('config: budget "3"', withConfig('b6.json', c({ budget: { evaluations: '3' } })), 2, /budget\.evaluations: expected a positive integer/);
    add('config: options []', withConfig('o1.json', c({ strategy: { name: 'random', options: [] } })), 2, /strategy\.options: expected an object/);
    add('config: component a number', withConfig('o3.json', c({ strategy: 5 })), 2, /strategy: expected a name/);
    add('config: component unknown field', withConfig('o5.json', c({ strategy: { name: 'random', opts: {} } })), 2, /strategy\.opts: unknown field/);
    add('config: unknown field', withConfig('u.json', c({ strateg: 'random' })), 2, /strateg: unknown field/);
    add('config: seed -1', withConfig('s1.json', c({ seed: -1 })), 2, /seed: expected a non-negative integer/);
    add('config: reward a number', withConfig('r1.json', c({ reward: 5 })), 2, /reward: expected a non-empty expression string/);
    add('config: plugins a string', withConfig('p1.json', c({ plugins: 'x.js' })), 2, /plugins: expected an array of module paths/);
    add('config: executor unknown', withConfig('e1.json', c({ executor: 'threads' })), 2, /executor\.name: expected one of inline, pool/);
    add('config: checkpointEvery -1', withConfig('k2.json', c({ checkpointEvery: -1 })), 2, /checkpointEvery: expected a non-negative integer/);
    add('config: reevaluate 5', withConfig('k3.json', c({ reevaluate: 5 })), 2, /reevaluate: expected \{"top": k, "seeds": n\}/);
    add('config: scheduler on a table', withConfig('k5.json', c({ scheduler: 'asha' })), 2, /'asha' needs an evaluator with a fidelity/);

    // --- options ---
    const opt = (label: string, more: string[], code: 1 | 2, message: RegExp) => add(`option: ${label}`, [...nb, ...more], code, message);
    opt('--evaluations 0x3', ['--evaluations', '0x3'], 2, /--evaluations: expected a non-negative integer, got '0x3'/);
    opt("--evaluations ''", ['--evaluations', ''], 2, /--evaluations: expected a non-negative integer, got ''/);
    opt('--evaluations 0', ['--evaluations', '0'], 2, /budget\.evaluations: expected a positive integer/);
    opt("--seed ''", ['--seed', ''], 2, /--seed: expected a non-negative integer, got ''/);
    opt('--seed 2^53+1', ['--seed', '9007199254740993'], 2, /--seed: 9007199254740993 is too large/);
    opt('--seconds 0', ['--seconds', '0'], 2, /--seconds: expected a positive number/);
    opt('--seconds 0x10', ['--seconds', '0x10'], 2, /--seconds: expected a positive number/);
    opt('--concurrency 0', ['--concurrency', '0'], 2, /concurrency: expected a positive integer/);
    opt('--checkpoint-every -1', ['--checkpoint-every', '-1'], 2, /--checkpoint-every: expected a non-negative integer/);
    opt('--memory with --resume', ['--memory', '--resume'], 1, /option '--memory' cannot be used with option '--resume'/);
    opt('an unknown option', ['--bogus'], 1, /unknown option '--bogus'/);
    opt('--evaluations without value', ['--evaluations'], 1, /argument missing/);
    opt('unknown strategy', ['--strategy', 'nope'], 2, /unknown strategy 'nope'; known: .*evolution/);
    opt('population=0', ['--strategy-opt', 'population=0', '--name', 'stray'], 2, /evolution\.population: must be >= 1/);
    opt('population=0x10', ['--strategy-opt', 'population=0x10'], 2, /evolution\.population: expected a number/);
    opt('an option without =', ['--strategy-opt', 'population'], 2, /--strategy-opt: expected key=value, got 'population'/);
    opt('an unknown strategy option', ['--strategy-opt', 'size=3'], 2, /evolution\.size: unknown option; known: population, sample/);
    opt('unknown space', ['--space', 'nope'], 2, /unknown search space 'nope'/);
    opt('unknown evaluator', ['--evaluator', 'nope'], 2, /unknown evaluator 'nope'/);
    opt('evaluator for another space', ['--evaluator', 'detection-proxy'], 2, /'detection-proxy' evaluates the space\(s\) nasfpn, not 'nasbench201'/);
    opt('dataset=cifar1000', ['--evaluator-opt', 'dataset=cifar1000'], 2, /evaluator\.dataset: must be one of cifar10, cifar100/);
    opt('path missing', ['--evaluator-opt', 'path=/nonexistent/x'], 2, /'\/nonexistent\/x' does not exist/);
    opt('path=/dev/zero', ['--evaluator-opt', 'path=/dev/zero'], 2, /NAS-Bench-201 table '\/dev\/zero' is not a regular file/);
    opt('path=2024 (a string option takes any string)', ['--evaluator-opt', 'path=2024'], 2, /NAS-Bench-201 path '.*\/2024' does not exist/);
    opt('--backend on a table', ['--backend', 'wasm'], 2, /evaluator\.backend: unknown option/);
    opt('--scheduler asha on a table', ['--scheduler', 'asha'], 2, /'asha' needs an evaluator with a fidelity/);
    opt('--scheduler-opt alone', ['--scheduler-opt', 'eta=3'], 2, /--scheduler-opt: give --scheduler too/);
    opt('--workers 1000', ['--workers', '1000'], 2, /executor\.options\.workers: 1000 workers on \d+ cores; at most/);
    opt('--trial-timeout 3000000', ['--trial-timeout', '3000000'], 2, /trialTimeoutSeconds: must be <= 2147483/);
    opt('--setup-timeout 1e12', ['--setup-timeout', '1e12'], 2, /setupTimeoutSeconds: must be <= 2147483/);
    opt('--worker-memory 1', ['--worker-memory', '1'], 2, /memoryLimitMb: 1 MB is too little for a worker to start/);
    opt('--executor threads', ['--executor', 'threads'], 2, /executor\.name: expected one of inline, pool/);
    opt('--executor inline --workers 2', ['--executor', 'inline', '--workers', '2'], 2, /only the pool executor takes this option/);
    opt('--top-k-seeds alone', ['--top-k-seeds', '2'], 2, /--top-k-seeds: give --top-k too/);
    opt('--preset nope', ['--preset', 'nope'], 2, /unknown preset 'nope'/);
    opt('--config with --preset', ['--preset', 'nasfpn-demo', '--config', 'x.json'], 2, /give --config or --preset, not both/);
    opt('a bad name', ['--name', '../escape'], 2, /experiment names use letters/);
    add('option: --runs-dir a file', ['search', '--space', 'nasbench201', '--runs-dir', '{runs}/good.sqlite', '--evaluations', '3'], 2, /runs folder '.*good\.sqlite' is not a folder/);
    add('list: --runs-dir a file', ['list', '--runs-dir', '{runs}/good.sqlite'], 2, /runs folder '.*good\.sqlite' is not a folder/);
    add('show: --runs-dir a file', ['show', 'good', '--runs-dir', '{runs}/good.sqlite'], 2, /is not a folder/);
    add('show: no such experiment', ['show', 'nothing', '--runs-dir', '{runs}'], 2, /no experiment 'nothing'/);
    add('show: --trial abc', ['show', 'good', '--runs-dir', '{runs}', '--trial', 'abc'], 2, /--trial: expected a non-negative integer/);
    add('show: no such trial', ['show', 'good', '--runs-dir', '{runs}', '--trial', '999'], 2, /experiment 'good' has no trial 999/);
    add('bench: duplicate label', ['bench', '--strategies', 'random,random'], 2, /label 'random' appears twice/);
    add('an unknown command', ['frobnicate'], 1, /unknown command 'frobnicate'/);

    // --- tables ---
    const tab = (label: string, dir: string, message: RegExp) => add(`table: ${label}`, [...nb, '--evaluator-opt', `path=${dir}`], 2, message);
    tab('accuracy -5', tableWith(setCol(6, '-5')), /'validation accuracy' is -5, not a percentage in 0\.\.100/);
    tab('accuracy 150', tableWith(setCol(7, '150')), /'test accuracy' is 150, not a percentage/);
    tab('a missing column', tableWith((l) => l.map((x) => x.split(',').slice(0, 7).join(','))), /missing column\(s\) test accuracy/);
    tab('not a number', tableWith(setCol(6, 'abc')), /line 2: 'validation accuracy' is not a number/);
    tab('a missing row', tableWith((l) => l.slice(0, -1)), /15624 architectures, expected 15625/);
    tab('a folder without the table', cfg, /NAS-Bench-201 table for cifar100 not found/);

    // --- plugins ---
    const plug = (label: string, mode: string, more: string[], message: RegExp) => add(`plugin: ${label}`, [...nb, '--plugin', BAD_PLUGIN, ...more], 2, message, { env: { TSNAS_BAD_PLUGIN: mode } });
    add('plugin: missing', [...nb, '--plugin', './missing-plugin.js'], 2, /plugin '\.\/missing-plugin\.js' not found/);
    add('plugin: a folder', [...nb, '--plugin', cfg], 2, /plugin '.*' is not a file/);
    add('plugin: no register export', [...nb, '--plugin', NO_REGISTER], 2, /exports no register\(registries\) function/);
    add('plugin: an unknown package', [...nb, '--plugin', 'tsnas-no-such-plugin'], 2, /cannot load plugin 'tsnas-no-such-plugin'/);
    plug('throws at import', 'import-throws', [], /cannot load plugin .*: plugin exploded at import/);
    plug('register throws', 'register-throws', [], /register\(\) failed: register blew up/);
    plug('register rejects', 'register-rejects', [], /register\(\) failed: async register failed/);
    plug('register throws a non-Error', 'register-throws-object', [], /register\(\) failed: threw \{ code: 7, why: 'not an Error' \}/);
    plug('a strategy without create', 'no-create', [], /strategy 'broken' has no create\(\) function/);
    plug('a strategy with a bad name', 'bad-name', [], /strategy name 'has space' must be alphanumeric/);
    plug('a strategy state with a Map', 'map-state', ['--strategy', 'odd'], /its state\(\) is not JSON: state\.seen is a Map/);
    plug('a strategy state with NaN', 'nan-state', ['--strategy', 'odd'], /its state\(\) is not JSON: state\.best is NaN/);
    plug('a cyclic strategy state', 'cyclic-state', ['--strategy', 'odd'], /its state\(\) is not JSON: state\.self refers back to itself/);
    plug('a strategy whose create rejects', 'strategy-create-throws', ['--strategy', 'odd'], /strategy 'odd' could not be created: cannot read the weights/);
    plug('an evaluator whose create throws', 'evaluator-create-throws', ['--evaluator', 'exploding'], /evaluator 'exploding' could not be created: no GPU here/);

    // --- stores ---
    add('store: resume of nothing', resume('absent'), 2, /--resume: no experiment 'absent'/);
    add('store: resume a foreign SQLite database', resume('foreign'), 2, /store '.*foreign\.sqlite' is not a tsnas experiment: it has no experiment, trials, checkpoints tables \(its tables: users\)/);
    add('store: resume an empty file', resume('empty'), 2, /store '.*empty\.sqlite' is empty \(0 bytes\)/);
    add('store: resume a text file', resume('text'), 2, /store '.*text\.sqlite' is not a tsnas experiment: not an SQLite database/);
    add('store: resume with another seed', [...resume('good'), '--seed', '4'], 2, /experiment 'good' was run with another config/);
    add('store: resume with another strategy', [...resume('good'), '--strategy', 'random'], 2, /was run with another config/);
    add('store: resume with another reward', [...resume('good'), '--reward', 'test_acc'], 2, /was run with another config/);
    add('store: a new run on an existing name', [...nb.slice(0, 6), 'good', '--evaluations', '20', '--seed', '3'], 2, /experiment 'good' already exists/);
    add('store: resume with malformed trial JSON', resume('badjson', '--evaluations', '30'), 2, /store '.*badjson\.sqlite' is damaged: trials row 3, column metrics: malformed JSON/);
    add('store: resume with malformed choices', resume('badchoices'), 2, /trials row 2, column choices: expected an array of integers/);
    add('store: resume with malformed config JSON', resume('badconfig'), 2, /experiment row, column config: malformed JSON/);
    add('store: resume with a malformed checkpoint', resume('badck', '--evaluations', '40'), 2, /checkpoints row \d+, column state: malformed JSON/);
    add('store: resume with a strategy state that cannot be restored', resume('badstate', '--evaluations', '40'), 2, /the stored checkpoint's strategy state cannot be restored/);
    add('store: resume of a newer schema', resume('future'), 2, /has schema version 99; this tsnas reads 2/);
    add('store: resume of damaged pages', resume('corrupt'), 2, /store '.*corrupt\.sqlite' (failed reading .*malformed|is damaged)/);
    add('store: show malformed trial JSON', ['show', 'badjson', '--runs-dir', '{runs}'], 2, /trials row 3, column metrics: malformed JSON/);
    add('store: show a malformed config', ['show', 'badconfig', '--runs-dir', '{runs}'], 2, /experiment row, column config: malformed JSON/);
    add('store: show a foreign database', ['show', 'foreign', '--runs-dir', '{runs}'], 2, /is not a tsnas experiment/);
    add('store: show damaged pages', ['show', 'corrupt', '--runs-dir', '{runs}', '--all'], 2, /corrupt\.sqlite' (failed reading .*malformed|is damaged)/);
    add('store: list goes on past a damaged store', ['list', '--runs-dir', '{runs}'], 2, /^tsnas: experiment 'badjson': store '.*' is damaged: trials row 3, column metrics: malformed JSON \(/, { runs: 'list' });

    // --- rewards ---
    const rewards: [string, RegExp][] = [
      ['sum(range(1,1e9)) + val_acc', /unknown function 'sum'/], ['ones(1e5,1e5)', /unknown function 'ones'/], ['zeros(1e9)', /unknown function 'zeros'/],
      ['pow(fraction(3,7),1e7)', /unknown function 'fraction'/],
      ['config({precision:1e9})', /unexpected character '\{'/], ['1' + '+1'.repeat(2000), /4001 characters long/], ['val_acc > 50', /must be a number/],
      ['[val_acc]', /unexpected character '\['/], ['"abc"', /unexpected character '"'/], ['val_acc; test_acc', /unexpected character ';'/],
      ['val_acc/0', /not a finite number for any probe/], ['sqrt(-val_acc)', /not a finite number for any probe/], ['nosuchfn(val_acc)', /unknown function 'nosuchfn'/],
      ['accuracy * 2', /unknown name 'accuracy'; metrics: val_acc, test_acc, train_acc/], ['val_acc +', /unexpected end of expression/],
      ['-'.repeat(100) + 'val_acc', /nested more than 40 levels/],
    ];
    for (const [expr, message] of rewards) add(`reward: ${expr.slice(0, 30)}`, [...nb, '--reward', expr], 2, message);
  });

  it('has at least 100 cases', () => assert.ok(cases.length >= 100, `${cases.length} cases`));

  it('exits 1 or 2 with one line naming the problem, no stack trace, and an unchanged runs folder', async () => {
    const hashes = { main: folderHash(mainRuns), list: folderHash(listRuns) };
    const failures: string[] = [];
    const check = async (k: Case) => {
      const runs = join(tempDir(), 'runs');
      cpSync(k.runs === 'list' ? listRuns : mainRuns, runs, { recursive: true });
      const args = k.args.map((a) => a.replaceAll('{runs}', runs));
      const r: CliResult = await tsnasAsync(args, { env: { ...process.env, TSNAS_NB201_DIR: table, ...k.env }, timeout: 60_000 });
      const lines = r.err.split('\n').filter((l) => l.trim() !== '' && !/^\(run with --help for usage\)$/.test(l));
      const problems = [
        r.code !== k.code && `exit ${r.code} ${r.signal ?? ''}, expected ${k.code}`,
        lines.length !== 1 && `${lines.length} lines on stderr`,
        !k.message.test(lines.join('\n')) && `message does not match ${k.message}`,
        /^\s+at /m.test(r.err) && 'a stack trace',
        folderHash(runs) !== hashes[k.runs ?? 'main'] && 'the runs folder changed',
      ].filter(Boolean);
      if (problems.length > 0) failures.push(`${k.label}: ${problems.join('; ')}\n    ${r.err.trim().split('\n').join('\n    ')}`);
    };
    const queue = cases.slice();
    await Promise.all(Array.from({ length: 4 }, async () => {
      for (let k = queue.shift(); k; k = queue.shift()) await check(k);
    }));
    assert.equal(failures.length, 0, `${failures.length} of ${cases.length} cases:\n${failures.join('\n')}`);
  });

  it('accepts what was refused before: a table with a byte-order mark, a corrected config under the same name', () => {
    const bom = writeSyntheticTable('cifar100', (lines) => [`\uFEFF${lines[0]}`, ...lines.slice(1)]);
    const runs = tempDir();
    const ok = tsnas(['search', '--space', 'nasbench201', '--evaluator-opt', `path=${bom}`, '--runs-dir', runs, '--name', 'stray', '--evaluations', '5', '--quiet']);
    assert.equal(ok.code, 0, ok.err);
    const bad = tsnas(['search', '--space', 'nasbench201', '--runs-dir', runs, '--name', 'again', '--strategy-opt', 'population=0'], { env: { TSNAS_NB201_DIR: table } });
    assert.equal(bad.code, 2);
    const fixed = tsnas(['search', '--space', 'nasbench201', '--runs-dir', runs, '--name', 'again', '--strategy-opt', 'population=5', '--evaluations', '5', '--quiet'], { env: { TSNAS_NB201_DIR: table } });
    assert.equal(fixed.code, 0, `the rejected config left nothing that blocks the name: ${fixed.err}`);
  });
});
