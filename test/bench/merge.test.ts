// `tsnas bench --merge A B --out C`: shards of one config over disjoint seed ranges make the same
// benchmark as one run over all their seeds; shards that differ, overlap or leave a gap are refused.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readBench, withoutTimings } from '../helpers/bench-json.js';
import { tsnas } from '../helpers/cli.js';
import { writeSyntheticTable } from '../helpers/nb201-fixture.js';
import { tempDir } from '../helpers/run.js';

const env = { TSNAS_NB201_DIR: writeSyntheticTable() };
const BENCH = ['bench', '--strategies', 'random,rea=evolution', '--strategy-opt', 'rea.population=5', '--evaluations', '20', '--checkpoints', '10,20', '--quiet'];

/** Runs seeds start..start+n-1 into a new folder. */
function shard(start: number, n: number, extra: readonly string[] = []): string {
  const out = tempDir();
  const r = tsnas([...BENCH, '--seed-start', String(start), '--seeds', String(n), '--out', out, ...extra], { env });
  assert.equal(r.code, 0, r.err);
  return out;
}

const merge = (...args: string[]) => tsnas(['bench', '--merge', ...args, '--quiet'], { env });

describe('tsnas bench --merge', () => {
  const whole = shard(0, 20);
  const first = shard(0, 10);
  const second = shard(10, 10);

  it('merges seeds 0–9 and 10–19 into what one run of 0–19 gives', () => {
    const out = tempDir();
    const r = merge(second, first, '--out', out, '--report');
    assert.equal(r.code, 0, r.err);
    const merged = readBench(out);
    assert.equal(merged.config.seedStart, 0);
    assert.equal(merged.config.seeds, 20);
    assert.deepEqual(withoutTimings(merged), withoutTimings(readBench(whole)));
    const noMs = (csv: string) => csv.split('\n').map((line) => line.split(',').filter((_, i) => i !== 6).join(','));
    assert.deepEqual(noMs(readFileSync(join(out, 'bench.csv'), 'utf8')), noMs(readFileSync(join(whole, 'bench.csv'), 'utf8')));
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /random − rea/);
  });

  it('refuses overlapping seeds, naming them and the shards', () => {
    const r = merge(first, shard(5, 10), '--out', tempDir());
    assert.equal(r.code, 2);
    assert.match(r.err, /--merge: seeds 5–9 are in both .*bench\.json and .*bench\.json/);
  });

  it('refuses a gap between the seed ranges', () => {
    const r = merge(first, shard(12, 3), '--out', tempDir());
    assert.equal(r.code, 2);
    assert.match(r.err, /--merge: seeds 10–11 are in no shard/);
  });

  it('refuses shards of different configs, naming the difference', () => {
    const r = merge(first, shard(10, 2, ['--evaluator-opt', 'noise=0.5']), '--out', tempDir());
    assert.equal(r.code, 2);
    assert.match(r.err, /was run with another evaluator than .* \(\{"name":"nasbench201","options":\{"noise":0.5\}\} against \{"name":"nasbench201","options":\{\}\}\); shards may differ in their seeds only/);
  });

  it('refuses run options beside --merge, and a file that is not a bench.json', () => {
    const r = merge(first, second, '--seeds', '5', '--out', tempDir());
    assert.equal(r.code, 2);
    assert.match(r.err, /--merge: takes the config from its shards; drop --seeds/);
    const bad = join(tempDir(), 'bench.json');
    writeFileSync(bad, JSON.stringify({ runs: [] }));
    const b = merge(first, bad, '--out', tempDir());
    assert.equal(b.code, 2);
    assert.match(b.err, /is not a tsnas bench\.json/);
  });
});
