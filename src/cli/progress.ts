import cliProgress from 'cli-progress';
import type { SearchEngine } from '../engine/search-engine.js';
import { formatCell } from './text-table.js';

/**
 * Shows search progress: a bar on a terminal; on a pipe or file, one line per new best so logs stay
 * readable. Returns a function that stops the display.
 */
export function attachProgress(engine: SearchEngine, total: number, stream: NodeJS.WriteStream = process.stderr): () => void {
  let best = -Infinity;
  let done = 0;
  if (stream.isTTY && Number.isFinite(total)) {
    const bar = new cliProgress.SingleBar(
      { format: 'search [{bar}] {value}/{total} evaluations | best {best} | {eta}', stream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    const started = performance.now();
    let stopped = false;
    bar.start(total, 0, { best: '-', eta: 'time left known after the first result' });
    engine.on('trial', (t) => {
      if (stopped) return;
      if (t.status !== 'cached') done++;
      if (t.reward !== null && t.reward > best) best = t.reward;
      const value = Math.min(done, total);
      bar.update(value, { best: Number.isFinite(best) ? best.toFixed(4) : '-', eta: etaText(performance.now() - started, value, total) });
    });
    return () => {
      if (!stopped) bar.stop();
      stopped = true;
    };
  }
  engine.on('best', (t) => {
    stream.write(`trial ${t.number}: new best reward ${formatCell(t.reward)}${t.resource !== undefined ? ` at resource ${t.resource}` : ''} ${t.key}\n`);
  });
  return () => undefined;
}

/** Time left at the pace so far (cli-progress's own ETA reads 'NULL' or 'INF' before the first result). */
export function etaText(elapsedMs: number, done: number, total: number): string {
  if (done >= total) return 'done';
  if (done === 0) return 'time left known after the first result';
  return `about ${duration(((total - done) * elapsedMs) / done / 1000)} left`;
}

/** Seconds as `45s`, `3m 05s` or `2h 07m`. */
export function duration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
