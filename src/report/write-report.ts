import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DataError } from '../core/errors.js';
import { RunsFolder } from '../store/runs-folder.js';
import { experimentSpaceOrNone } from './experiment-space.js';
import { experimentHtml } from './experiment-html.js';
import { experimentReport } from './report-model.js';

/** Writes the HTML report of a stored experiment to `out`; returns its absolute path and size. */
export async function writeExperimentReport(runsDir: string, name: string, out: string): Promise<{ path: string; bytes: number; trials: number }> {
  const { html, trials } = await experimentReportHtml(runsDir, name);
  const path = resolve(out);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, html);
  return { path, bytes: Buffer.byteLength(html), trials };
}

/** The HTML report of a stored experiment, read as it is now (a running search's store too). */
export async function experimentReportHtml(runsDir: string, name: string): Promise<{ html: string; trials: number }> {
  const store = new RunsFolder(runsDir).read(name);
  let html: string;
  let trials: number;
  try {
    const meta = store.meta();
    if (!meta) throw new DataError(`store '${store.location}' is not a tsnas experiment: it has no experiment row`);
    const report = experimentReport(store, meta, await experimentSpaceOrNone(meta));
    trials = report.rows.length;
    html = experimentHtml(report);
  } finally {
    store.close();
  }
  return { html, trials };
}
