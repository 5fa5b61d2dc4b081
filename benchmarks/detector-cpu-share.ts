/**
 * How a lone detector's training settles: ms per step and the cores the process uses (all its threads,
 * from process.cpuUsage) over consecutive blocks of steps. The early blocks carry V8's background
 * re-optimisation of tfjs's dispatch code; run with `node --no-concurrent-recompilation` to move that
 * work onto the main thread and compare.
 *
 *   node dist/benchmarks/detector-cpu-share.js [--blocks 8] [--steps 15] [--batch 16]
 */
import { cpuUsage } from 'node:process';
import { parseArgs } from 'node:util';
import { initBackend } from '../src/tensor/index.js';
import { ProxyDetector } from './workers/proxy-detector.js';

const { values: o } = parseArgs({
  options: {
    blocks: { type: 'string', default: '8' },
    steps: { type: 'string', default: '15' },
    batch: { type: 'string', default: '16' },
  },
});

async function main(): Promise<void> {
  const backend = await initBackend('wasm');
  const proxy = new ProxyDetector(Number(o.batch));
  const steps = Number(o.steps);
  console.log(`detector CPU share: ${backend.detail}; ${o.blocks} blocks of ${steps} steps, batch ${o.batch}`);
  const rows = [];
  for (let block = 0; block < Number(o.blocks); block++) {
    const c0 = cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) proxy.step();
    const wall = performance.now() - t0;
    const c = cpuUsage(c0);
    rows.push({ steps: `${block * steps + 1}..${(block + 1) * steps}`, 'ms/step': (wall / steps).toFixed(1), cores: ((c.user + c.system) / 1000 / wall).toFixed(3) });
  }
  console.table(rows);
  proxy.dispose();
}

main().catch((e: unknown) => {
  console.error(`detector-cpu-share: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
