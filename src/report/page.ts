import { createRequire } from 'node:module';
import { esc } from './draw/svg.js';
import { vegaScripts } from './vega-assets.js';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

/** JSON that is safe inside a <script> element (no `</script>`, no `<!--`). */
export const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1280px; padding: 16px 24px; color: #222; }
h1 { font-size: 22px; margin: 4px 0; } h2 { font-size: 17px; margin: 22px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta { color: #555; font-size: 13px; } .meta code { font-size: 12px; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; } .chart { width: 100%; min-height: 300px; }
table { border-collapse: collapse; font-size: 12px; width: 100%; } th, td { border-bottom: 1px solid #eee; padding: 3px 6px; text-align: right; white-space: nowrap; }
th { cursor: pointer; background: #f6f6f6; position: sticky; top: 0; user-select: none; } th.sorted-asc::after { content: ' ▲'; } th.sorted-desc::after { content: ' ▼'; }
td.key, th.key, td.text { text-align: left; font-family: monospace; } tr.selected td { background: #fff4d6; } tbody tr { cursor: pointer; } tbody tr:hover td { background: #f3f7fb; }
.table-wrap { max-height: 520px; overflow: auto; border: 1px solid #ddd; }
.arch { overflow-x: auto; } .arch-lines { font-family: monospace; font-size: 12px; white-space: pre; color: #333; }
.status-failed { color: #c0392b; } .status-stopped { color: #888; } .err { color: #c0392b; }
`;

/** Sorts a table by a clicked header (numbers by value, text alphabetically; again to reverse). */
export const SORT_SCRIPT = `
function makeSortable(table) {
  const heads = table.querySelectorAll('th');
  heads.forEach((th, col) => th.addEventListener('click', () => {
    const asc = !th.classList.contains('sorted-asc');
    heads.forEach((h) => h.classList.remove('sorted-asc', 'sorted-desc'));
    th.classList.add(asc ? 'sorted-asc' : 'sorted-desc');
    const body = table.tBodies[0];
    const value = (tr) => { const c = tr.cells[col]; const v = c.dataset.v ?? c.textContent; const n = Number(v); return v !== '' && Number.isFinite(n) ? n : v; };
    const rows = [...body.rows].sort((a, b) => { const x = value(a), y = value(b);
      const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y)); return asc ? cmp : -cmp; });
    rows.forEach((r) => body.appendChild(r));
  }));
}
document.querySelectorAll('table.sortable').forEach(makeSortable);
`;

/** Embeds every chart (Vega-Lite spec by element id); a failure is shown in place and logged as an error. */
export const EMBED_SCRIPT = `
window.tsnasCharts = Promise.all(Object.entries(CHARTS).map(([id, spec]) =>
  vegaEmbed('#' + id, spec, { actions: false, renderer: 'svg' }).then((r) => { window.tsnasViews = window.tsnasViews || {}; window.tsnasViews[id] = r.view; return r; })
    .catch((e) => { document.getElementById(id).innerHTML = '<p class="err">chart failed: ' + e.message + '</p>'; console.error(e); })));
`;

/**
 * One self-contained HTML file: the page's markup, its data and charts as JSON, vega, vega-lite and
 * vega-embed inlined (no network: the file opens offline), and the page's own script.
 */
export function htmlPage(o: { title: string; body: string; charts: Record<string, unknown>; data?: unknown; script?: string }): string {
  const libs = vegaScripts()
    .map((s) => `<script data-lib="${s.name}@${s.version}">${s.code.replace(/<\/script/gi, '<\\/script')}</script>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tsnas ${version}">
<title>${esc(o.title)}</title>
<style>${STYLE}</style>
${libs}
</head>
<body>
${o.body}
<p class="meta">made by tsnas ${version} on ${new Date().toISOString()}; charts: ${vegaScripts()
    .map((s) => `${s.name} ${s.version}`)
    .join(', ')}, inlined</p>
<script type="application/json" id="report-data">${scriptJson(o.data ?? null)}</script>
<script>
const CHARTS = ${scriptJson(o.charts)};
const REPORT = JSON.parse(document.getElementById('report-data').textContent);
${EMBED_SCRIPT}
${SORT_SCRIPT}
${o.script ?? ''}
</script>
</body>
</html>
`;
}
