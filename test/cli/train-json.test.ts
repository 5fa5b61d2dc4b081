// `tsnas train --json` names the genotype it trained: the name given (a named genotype, a file) or,
// for canonical text, its canonical key — never a placeholder.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tsnas } from '../helpers/cli.js';
import { writeSyntheticTable } from '../helpers/nb201-fixture.js';

describe('train --json', () => {
  it('reports a canonical-text genotype by its key', () => {
    const arch = '|nor_conv_3x3~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|none~2|';
    const r = tsnas(['train', '--space', 'nasbench201', '--genotype', arch, '--json'], { env: { TSNAS_NB201_DIR: writeSyntheticTable() } });
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out) as { genotype: string; key: string };
    assert.equal(out.key, arch);
    assert.equal(out.genotype, out.key);
  });
});
