/**
 * How a lone detector's training settles: ms per step and the cores the process uses (all its threads,
 * from process.cpuUsage) over consecutive blocks of steps. The early blocks carry V8's background
 * re-optimisation of tfjs's dispatch code; run with `node --no-concurrent-recompilation` to move that
 * work onto the main thread and compare.
 *
 *   node dist/benchmarks/detector-cpu-share.js [--blocks 8] [--steps 15] [--batch 16]
 */
import { cpuUsage } from 'node:process';
import { initBackend } from '../src/tensor/index.js';
import { benchmarkCommand, int, parseBenchmark } from './lib/command.js';
import { ProxyDetector } from './workers/proxy-detector.js';

const o = parseBenchmark<{ blocks: number; steps: number; batch: number }>(
  benchmarkCommand('detector-cpu-share', "ms per step and cores used by a lone detector's training, block by block")
    .option('--blocks <n>', 'blocks of steps', int(1), 8)
    .option('--steps <n>', 'steps per block', int(1), 15)
    .option('--batch <n>', 'images per step', int(1), 16),
);

async function main(): Promise<void> {
  const backend = await initBackend('wasm');
  const proxy = new ProxyDetector(o.batch);
  const steps = o.steps;
  console.log(`detector CPU share: ${backend.detail}; ${o.blocks} blocks of ${steps} steps, batch ${o.batch}`);
  const rows = [];
  for (let block = 0; block < o.blocks; block++) {
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
