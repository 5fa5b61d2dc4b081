import { esc } from './draw/svg.js';
import { htmlPage } from './page.js';
import type { ExperimentReport } from './report-model.js';
import { costSpec, progressSpec, rungSpec } from './specs.js';
import type { TrialRow } from './trial-rows.js';

const num = (v: number | null | undefined, digits = 4) => (v === null || v === undefined || !Number.isFinite(v) ? '' : Number.isInteger(v) ? String(v) : v.toFixed(digits));

function tableHtml(r: ExperimentReport): string {
  const metricNames = [...new Set(r.rows.flatMap((row) => Object.keys(row.metrics)))];
  const multi = r.rows.some((row) => row.resource !== null);
  const head = ['trial', 'status', ...(multi ? ['fidelity'] : []), 'reward', 'seed', 'seconds', ...metricNames, 'genotype'];
  const cell = (v: string | number | null, cls = '') => `<td${cls ? ` class="${cls}"` : ''} data-v="${esc(v === null ? '' : String(v))}">${esc(typeof v === 'number' ? num(v) : (v ?? ''))}</td>`;
  const row = (t: TrialRow) =>
    `<tr data-trial="${t.trial}" data-key="${esc(t.key)}"${t.error ? ` title="${esc(t.error)}"` : ''}>` +
    cell(t.trial) +
    cell(t.status, `text status-${t.status}`) +
    (multi ? cell(t.resource) : '') +
    cell(t.reward) +
    cell(t.seed) +
    cell(t.seconds === null ? null : Number(t.seconds.toFixed(2))) +
    metricNames.map((m) => cell(t.metrics[m] ?? null)).join('') +
    cell(t.key, 'key') +
    '</tr>';
  return `<div class="table-wrap"><table class="sortable" id="trials"><thead><tr>${head.map((h) => `<th${h === 'genotype' ? ' class="key"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>${r.rows.map(row).join('')}</tbody></table></div>`;
}

/** Shows the architecture of a trial (the table's rows and the charts' points call it). */
const ARCH_SCRIPT = `
function showTrial(trial) {
  const row = REPORT.rows.find((r) => r.trial === trial);
  const box = document.getElementById('arch');
  if (!row || !box) return;
  const d = REPORT.drawings[row.key];
  const returned = REPORT.returned && REPORT.returned.trial === trial ? ', returned by the search' : trial === REPORT.best ? ', best trial' : '';
  document.getElementById('arch-title').textContent = 'trial ' + trial + ' (' + row.status + (row.reward === null ? '' : ', reward ' + row.reward.toFixed(4)) + returned + ')';
  box.innerHTML = d ? d.svg : '<p>no drawing for this space</p>';
  document.getElementById('arch-lines').textContent = d ? d.lines.join('\\n') : row.key;
  document.querySelectorAll('#trials tr.selected').forEach((tr) => tr.classList.remove('selected'));
  const tr = document.querySelector('#trials tr[data-trial="' + trial + '"]');
  if (tr) tr.classList.add('selected');
}
document.querySelectorAll('#trials tbody tr').forEach((tr) => tr.addEventListener('click', () => showTrial(Number(tr.dataset.trial))));
window.tsnasCharts.then(() => Object.values(window.tsnasViews || {}).forEach((view) => view.addEventListener('click', (_e, item) => {
  if (item && item.datum && typeof item.datum.trial === 'number') showTrial(item.datum.trial);
})));
const first = REPORT.returned ? REPORT.returned.trial : REPORT.best;
if (first !== null && first !== undefined) showTrial(first);
`;

/** The experiment report: progress, cost, rungs, the architecture drawn, and the trial table. */
export function experimentHtml(r: ExperimentReport): string {
  const withData = (spec: Record<string, unknown>, name: string, values: unknown) => ({ ...spec, datasets: { [name]: values } });
  const charts: Record<string, unknown> = {
    'chart-progress-evaluations': withData(progressSpec('evaluation'), 'progress', r.progress),
    'chart-progress-time': withData(progressSpec('seconds'), 'progress', r.progress),
  };
  if (r.cost.length > 0) charts['chart-cost'] = withData(costSpec(r.costMetrics), 'cost', r.cost);
  if (r.rungs.length > 0) charts['chart-rungs'] = withData(rungSpec(), 'rungs', r.rungs);
  const c = r.config as { space?: { name?: string }; strategy?: { name?: string }; scheduler?: { name?: string }; evaluator?: { name?: string }; reward?: string };
  const counts = Object.entries(r.counts)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  const returned = r.returned ? `trial ${r.returned.trial} (${r.returned.via === 'top-k' ? 'best mean of the top-k re-evaluation' : 'best trial'})` : 'none';
  const reevaluated = r.reevaluated.length
    ? `<p class="meta">top-k re-evaluation (mean ± std over seeds): ${r.reevaluated.map((x) => `trial ${x.trial}: ${num(x.reward.mean)} ± ${num(x.reward.std)}`).join('; ')}</p>`
    : '';
  const body = `
<h1>tsnas report: ${esc(r.experiment)}</h1>
<p class="meta">created ${esc(r.createdAt)} · space <b>${esc(c.space?.name ?? '?')}</b> · strategy <b>${esc(c.strategy?.name ?? '?')}</b> · scheduler <b>${esc(c.scheduler?.name ?? 'fifo')}</b> · evaluator <b>${esc(c.evaluator?.name ?? '?')}</b>${c.reward ? ` · reward <code>${esc(c.reward)}</code>` : ''}<br>
${r.rows.length} trials: ${esc(counts)} · returned: ${esc(returned)}</p>
${reevaluated}
<h2>Search progress</h2>
<div class="grid"><div id="chart-progress-evaluations" class="chart"></div><div id="chart-progress-time" class="chart"></div></div>
<p class="meta">Each point is a trial (its reward at the highest rung it finished; failed trials are crosses at the lowest reward); the line is the best so far by the best-trial rule (highest fidelity first). Click a point to draw its architecture.</p>
${r.cost.length || r.rungs.length ? `<h2>Cost and fidelity</h2><div class="grid">${r.cost.length ? '<div id="chart-cost" class="chart"></div>' : ''}${r.rungs.length ? '<div id="chart-rungs" class="chart"></div>' : ''}</div>` : ''}
<h2>Architecture: <span id="arch-title"></span></h2>
<div id="arch" class="arch"></div>
<div id="arch-lines" class="arch-lines"></div>
<h2>Trials</h2>
<p class="meta">Click a header to sort, a row to draw its architecture.</p>
${tableHtml(r)}
`;
  return htmlPage({ title: `tsnas report: ${r.experiment}`, body, charts, data: { rows: r.rows, drawings: r.drawings, returned: r.returned, best: r.best }, script: ARCH_SCRIPT });
}
