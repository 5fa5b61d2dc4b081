import type { JsonValue } from '../../core/json.js';
import { nasNetSpaceFactory } from '../../spaces/nasnet/factory.js';
import { CELLS, outputStates, type NasNetCell, type NasNetGenotype } from '../../spaces/nasnet/genotype.js';
import type { Drawing } from './drawers.js';
import { el, esc } from './svg.js';

const COL = 150;
const ROW = 48;
const NODE_W = 56;
const NODE_H = 24;
const TOP = 30;
const GAP = 40;

const stateName = (s: number) => (s === 0 ? 'h_i' : s === 1 ? 'h_i-1' : `b${s - 2}`);

/** One line per block and one for the output: `b0 = sep_conv5x5(h_i) + sep_conv3x3(h_i-1)`. */
export function describeCell(kind: string, cell: NasNetCell): string[] {
  const lines = cell.blocks.map((b, k) => {
    const [x, y] = b.inputs.map((s, n) => `${b.ops[n]}(${stateName(s)})`);
    return `${kind} b${k} = ${b.combine === 'add' ? `${x} + ${y}` : `concat(${x}, ${y})`}`;
  });
  return [...lines, `${kind} out = concat(${outputStates(cell).map(stateName).join(', ')})`];
}

/** A cell as a DAG, left to right: the two inputs, the blocks in order (each a combine node fed by its two ops), the concatenated output. */
function drawCell(kind: string, cell: NasNetCell, left: number): { parts: string[]; width: number; height: number } {
  const B = cell.blocks.length;
  const pos = (s: number) => ({ x: left + (s < 2 ? 0 : s - 1) * COL + NODE_W / 2, y: TOP + 20 + s * ROW + NODE_H / 2 });
  const out = { x: left + (B + 1) * COL + NODE_W / 2, y: TOP + 20 + ((B + 1) * ROW) / 2 + NODE_H / 2 };
  const parts: string[] = [el('text', { x: left, y: TOP, 'font-size': 13, 'font-weight': 600, fill: '#333' }, `${kind} cell`)];
  // An op's edge ends on its block's upper (first input) or lower (second) left corner, its name beside it.
  const edge = (a: { x: number; y: number }, b: { x: number; y: number }, color: string, label?: { text: string; second: boolean }) => {
    const [x1, x2] = [a.x + NODE_W / 2, b.x - NODE_W / 2];
    const y2 = label ? b.y + (label.second ? 6 : -6) : b.y;
    const mid = Math.max(16, (x2 - x1) / 2);
    parts.push(el('path', { d: `M${x1},${a.y} C${x1 + mid},${a.y} ${x2 - mid},${y2} ${x2},${y2}`, fill: 'none', stroke: color, 'stroke-width': 1.4 }));
    if (label) parts.push(el('text', { x: x2 - 4, y: label.second ? b.y + 20 : b.y - 10, 'text-anchor': 'end', 'font-size': 9, fill: color }, esc(label.text)));
  };
  cell.blocks.forEach((b, k) => b.inputs.forEach((s, n) => edge(pos(s), pos(k + 2), n === 0 ? '#4e79a7' : '#e07b00', { text: b.ops[n]!, second: n === 1 })));
  for (const s of outputStates(cell)) edge(pos(s), out, '#aaa');
  const box = (p: { x: number; y: number }, label: string, fill: string, title: string) =>
    parts.push(el('g', { class: 'node' }, el('title', {}, esc(title)) + el('rect', { x: p.x - NODE_W / 2, y: p.y - NODE_H / 2, width: NODE_W, height: NODE_H, rx: 5, fill, stroke: '#888' }) + el('text', { x: p.x, y: p.y + 4, 'text-anchor': 'middle', 'font-size': 11 }, esc(label))));
  const lines = describeCell(kind, cell);
  box(pos(0), 'h_i', '#f4f4f4', 'the cell input');
  box(pos(1), 'h_i-1', '#f4f4f4', 'the input before it');
  cell.blocks.forEach((b, k) => box(pos(k + 2), `b${k} ${b.combine === 'add' ? '+' : '‖'}`, '#fdf1d8', lines[k]!));
  box(out, 'concat', '#d6e6f5', lines[B]!);
  return { parts, width: (B + 1) * COL + NODE_W, height: TOP + 20 + (B + 2) * ROW };
}

/** NASNet's normal and reduction cells side by side (op names on the edges, first input blue, second orange). */
export function drawNasNet(genotype: unknown, spaceOptions: Readonly<Record<string, JsonValue>>): Drawing {
  const g = nasNetSpaceFactory.create(spaceOptions).validate(genotype) as NasNetGenotype;
  const parts: string[] = [];
  let left = 10;
  let height = 0;
  for (const kind of CELLS) {
    const d = drawCell(kind, g[kind], left);
    parts.push(...d.parts);
    left += d.width + GAP;
    height = Math.max(height, d.height);
  }
  const svg = el('svg', { class: 'arch nasnet', xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${left} ${height}`, width: left, height, 'font-family': 'sans-serif', role: 'img', 'aria-label': 'NASNet cells' }, parts.join(''));
  return { svg, lines: CELLS.flatMap((kind) => describeCell(kind, g[kind])) };
}
