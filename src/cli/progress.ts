import cliProgress from 'cli-progress';
import type { SearchEngine } from '../engine/search-engine.js';

/**
 * Shows search progress: a bar on a terminal; on a pipe or file, one line per new best so logs stay
 * readable. Returns a function that stops the display.
 */
export function attachProgress(engine: SearchEngine, total: number, stream: NodeJS.WriteStream = process.stderr): () => void {
  let best = -Infinity;
  let done = 0;
  if (stream.isTTY && Number.isFinite(total)) {
    const bar = new cliProgress.SingleBar(
      { format: 'search [{bar}] {value}/{total} evaluations | best {best} | {eta_formatted} left', stream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { best: '-' });
    engine.on('trial', (t) => {
      if (t.status !== 'cached') done++;
      if (t.reward !== null && t.reward > best) best = t.reward;
      bar.update(Math.min(done, total), { best: Number.isFinite(best) ? best.toFixed(4) : '-' });
    });
    return () => bar.stop();
  }
  engine.on('best', (t) => {
    stream.write(`trial ${t.number}: new best reward ${t.reward}${t.resource !== undefined ? ` at resource ${t.resource}` : ''} ${t.key}\n`);
  });
  return () => undefined;
}
