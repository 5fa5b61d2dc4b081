import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveOptions } from '../../src/core/options.js';
import { dataShape, detectionProxyFactory, pyramidOf } from '../../src/evaluators/proxy/detection-evaluator.js';
import { nasFpnSpaceFactory } from '../../src/spaces/nasfpn/factory.js';
import type { NasFpnSpace } from '../../src/spaces/nasfpn/space.js';

type Resolved = Parameters<typeof pyramidOf>[1];
const evaluatorOptions = (given: Record<string, unknown>) => resolveOptions('evaluator', detectionProxyFactory.options, given) as unknown as Resolved;

describe('detection proxy: model and data', () => {
  it("takes the pyramid's channels and repeats from its own options, the space's deprecated ones when not given", async () => {
    const warnings: Error[] = [];
    process.on('warning', (w) => warnings.push(w));
    const plain = nasFpnSpaceFactory.create({}) as NasFpnSpace;
    assert.deepEqual([pyramidOf(plain, evaluatorOptions({})).channels, pyramidOf(plain, evaluatorOptions({})).repeats], [32, 2]);
    const p = pyramidOf(plain, evaluatorOptions({ channels: '8', repeats: '1' }));
    assert.deepEqual([p.channels, p.repeats, p.cells], [8, 1, 7]);
    await new Promise((r) => setImmediate(r));
    assert.equal(warnings.length, 0, 'the new spelling warns of nothing');

    const old = nasFpnSpaceFactory.create({ channels: '16', repeats: '3' }) as NasFpnSpace;
    const q = pyramidOf(old, evaluatorOptions({}));
    assert.deepEqual([q.channels, q.repeats], [16, 3]);
    assert.equal(pyramidOf(old, evaluatorOptions({ channels: '8' })).channels, 8, "the evaluator's option wins");
    await new Promise((r) => setImmediate(r));
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.name, 'DeprecationWarning');
    assert.match(warnings[0]?.message ?? '', /space option channels and repeats of nasfpn is deprecated: .* \(--evaluator-opt channels=16 --evaluator-opt repeats=3\)/);
  });

  it("gives the model the data's canvas size and class count", () => {
    assert.deepEqual(dataShape(evaluatorOptions({})), { imageSize: 128, classes: 10 });
    assert.deepEqual(dataShape(evaluatorOptions({ glyphs: 'both' })), { imageSize: 128, classes: 20 });
  });
});
