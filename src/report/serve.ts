import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RunsFolder } from '../store/runs-folder.js';
import { experimentReportHtml } from './write-report.js';

/** What changes when a trial or rung lands: the page reloads when it differs from what it was drawn from. */
function stateOf(runsDir: string, name: string): string {
  const store = new RunsFolder(runsDir).read(name);
  try {
    const trials = store.trials();
    const last = Math.max(0, ...trials.map((t) => t.finishedAt ?? 0));
    return `${trials.length}/${store.rungs().length}/${store.reevaluations().length}/${last}`;
  } finally {
    store.close();
  }
}

const liveScript = (state: string, seconds: number) => `<script>
(function () {
  const drawn = ${JSON.stringify(state)};
  setInterval(() => fetch('state').then((r) => r.text()).then((s) => { if (s !== drawn) location.reload(); }).catch(() => {}), ${seconds * 1000});
})();
</script>`;

/**
 * Serves an experiment's report on 127.0.0.1 only (nothing outside the machine can reach it): `/` is
 * the report as the store is now, `/state` what the page polls every `refreshSeconds` to reload when a
 * trial lands. The store is opened read-only for each request, so a search keeps writing meanwhile.
 */
export async function serveReport(runsDir: string, name: string, o: { port: number; refreshSeconds: number }): Promise<{ url: string; server: Server }> {
  stateOf(runsDir, name); // an unknown experiment fails here, before anything listens
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const fail = (e: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`tsnas: ${(e as Error).message}\n`);
    };
    try {
      if (path === '/state') {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end(stateOf(runsDir, name));
        return;
      }
      if (path !== '/') {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('not found\n');
        return;
      }
      const state = stateOf(runsDir, name);
      experimentReportHtml(runsDir, name).then(({ html }) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(html.replace('</body>', `${liveScript(state, o.refreshSeconds)}\n</body>`));
      }, fail);
    } catch (e) {
      fail(e);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, server };
}
