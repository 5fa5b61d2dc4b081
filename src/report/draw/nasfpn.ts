import type { JsonValue } from '../../core/json.js';
import { describePyramid, resolvePyramid } from '../../spaces/nasfpn/graph.js';
import { nasFpnSpaceFactory } from '../../spaces/nasfpn/factory.js';
import type { NasFpnGenotype, NasFpnOp } from '../../spaces/nasfpn/genotype.js';
import type { NasFpnSpace } from '../../spaces/nasfpn/space.js';
import type { Drawing } from './drawers.js';
import { el, esc } from './svg.js';

const COL = 92;
const ROW = 58;
const NODE_W = 62;
const NODE_H = 34;
const LEFT = 70;
const TOP = 34;

const OP_LABEL: Record<NasFpnOp, string> = { sum: 'sum', global_pool: 'GP', weighted_sum: 'w-sum', first: 'first' };
/** Edge colours by what the merge does to the input: max-pool it down, upsample it, or take it as is. */
const EDGE = { down: '#e15759', up: '#4e79a7', same: '#7f7f7f' } as const;

/**
 * A NAS-FPN pyramid in the style of the paper's figures: one row per level (P7 at the top), the inputs
 * in the first column, then each merging cell in order at its output level, with an edge from each
 * input (solid: the op's two operands; dashed: same-level nodes an output cell adds in). Output cells
 * are drawn bold. (How often the network stacks the pyramid is the evaluator's business, not drawn.)
 */
export function drawNasFpn(genotype: unknown, spaceOptions: Readonly<Record<string, JsonValue>>): Drawing {
  const space = nasFpnSpaceFactory.create(spaceOptions) as NasFpnSpace;
  const g = space.validate(genotype) as NasFpnGenotype;
  const r = space.config;
  const p = resolvePyramid(g, r);
  const L = r.maxLevel - r.minLevel + 1;
  const width = LEFT + (g.cells.length + 1) * COL + 20;
  const height = TOP + L * ROW + 46;
  const rowY = (level: number) => TOP + (r.maxLevel - level) * ROW + ROW / 2;
  const colX = (node: number) => LEFT + (node < L ? 0 : node - L + 1) * COL + NODE_W / 2;
  const pos = (node: number) => ({ x: colX(node), y: rowY(p.levels[node] as number) });
  const name = (n: number) => (n < L ? `P${r.minLevel + n}` : p.cells[n - L]!.isOutput ? `P${p.cells[n - L]!.level}out` : `n${n}`);

  const parts: string[] = [];
  for (let level = r.minLevel; level <= r.maxLevel; level++) {
    const y = rowY(level);
    parts.push(el('line', { x1: LEFT - 8, x2: width - 10, y1: y, y2: y, stroke: '#eee', 'stroke-width': 1 }));
    parts.push(el('text', { x: 8, y: y + 4, 'font-size': 12, fill: '#555' }, `P${level} /${2 ** level}`));
  }
  const edge = (from: number, to: number, extra: boolean) => {
    const a = pos(from);
    const b = pos(to);
    const kind = (p.levels[from] as number) < (p.levels[to] as number) ? 'down' : (p.levels[from] as number) > (p.levels[to] as number) ? 'up' : 'same';
    const x1 = a.x + NODE_W / 2;
    const x2 = b.x - NODE_W / 2;
    const mid = Math.max(18, (x2 - x1) / 2);
    const d = `M${x1},${a.y} C${x1 + mid},${a.y} ${x2 - mid},${b.y} ${x2},${b.y}`;
    return el('path', { class: `edge ${kind}${extra ? ' extra' : ''}`, d, fill: 'none', stroke: EDGE[kind], 'stroke-width': extra ? 1.2 : 1.6, ...(extra ? { 'stroke-dasharray': '4 3' } : {}), 'marker-end': `url(#arrow-${kind})` });
  };
  for (const c of p.cells) {
    parts.push(edge(c.operands[0], c.node, false), edge(c.operands[1], c.node, false));
    for (const x of c.extras) parts.push(edge(x, c.node, true));
  }
  const node = (n: number, label: string, sub: string, fill: string, bold: boolean, title: string) => {
    const { x, y } = pos(n);
    return el(
      'g',
      { class: `node${bold ? ' output' : ''}`, 'data-node': n },
      el('title', {}, esc(title)) +
        el('rect', { x: x - NODE_W / 2, y: y - NODE_H / 2, width: NODE_W, height: NODE_H, rx: 5, fill, stroke: bold ? '#1f3b5a' : '#888', 'stroke-width': bold ? 2 : 1 }) +
        el('text', { x, y: y - 2, 'text-anchor': 'middle', 'font-size': 12, 'font-weight': 600 }, esc(label)) +
        el('text', { x, y: y + 12, 'text-anchor': 'middle', 'font-size': 10, fill: '#444' }, esc(sub)),
    );
  };
  for (let i = 0; i < L; i++) parts.push(node(i, `P${r.minLevel + i}`, 'input', '#f4f4f4', false, `input P${r.minLevel + i}`));
  const lines = describePyramid(g, r);
  p.cells.forEach((c, k) => parts.push(node(c.node, OP_LABEL[c.op], name(c.node), c.isOutput ? '#d6e6f5' : '#fdf1d8', c.isOutput, `cell ${k + 1}: ${lines[k]}`)));
  parts.push(el('text', { x: LEFT, y: 18, 'font-size': 12, fill: '#333' }, esc(`inputs P${r.minLevel}–P${r.maxLevel}, then ${g.cells.length} merging cells in order`)));
  const legendY = TOP + L * ROW + 24;
  const legend: [string, string][] = [[EDGE.down, 'max-pooled down'], [EDGE.up, 'upsampled'], [EDGE.same, 'same level'], ['#999', 'added in (unconsumed)']];
  legend.forEach(([color, text], k) => {
    const x = LEFT + k * 150;
    parts.push(el('line', { x1: x, x2: x + 22, y1: legendY, y2: legendY, stroke: color, 'stroke-width': 2, ...(k === 3 ? { 'stroke-dasharray': '4 3' } : {}) }));
    parts.push(el('text', { x: x + 28, y: legendY + 4, 'font-size': 11, fill: '#333' }, esc(text)));
  });
  const markers = Object.entries(EDGE)
    .map(([k, color]) => el('marker', { id: `arrow-${k}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' }, el('path', { d: 'M0,0 L10,5 L0,10 z', fill: color })))
    .join('');
  const svg = el('svg', { class: 'arch nasfpn', xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${width} ${height}`, width, height, 'font-family': 'sans-serif', role: 'img', 'aria-label': 'NAS-FPN pyramid' }, el('defs', {}, markers) + parts.join(''));
  return { svg, lines };
}
