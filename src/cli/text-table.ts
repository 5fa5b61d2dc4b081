// Tables for a terminal: columns aligned, numbers rounded, strings unquoted, and the whole fitted to
// the terminal's width (console.table printed NAS-FPN's trials 1,284 characters wide with
// `72.51999990844726`). The widest text column is cut first ("…"); columns that still do not fit are
// left out and named in a last line.

export type Cell = string | number | boolean | null | undefined;

/** A number as a person reads it: integers as they are, others to 4 decimals (or 4 significant digits when tiny or huge). */
export function formatCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v)) return String(v);
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e7) ? v.toPrecision(4) : v.toFixed(4);
}

const MIN_CUT = 12;

/** Rows as aligned text at most `width` characters wide (numbers right-aligned). */
export function textTable(rows: readonly Record<string, Cell>[], width: number): string {
  if (rows.length === 0) return '(none)';
  const blank = (v: Cell) => v === undefined || v === null || v === '';
  // A column with nothing in it (no trial failed: `error`) is left out.
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => rows.some((r) => !blank(r[c])));
  const numeric = new Set(columns.filter((c) => rows.every((r) => blank(r[c]) || typeof r[c] === 'number')));
  // Integers among fractions get the same decimals, so that a column lines up (69 -> 69.0000).
  const fractional = (c: string) => rows.some((r) => typeof r[c] === 'number' && !Number.isInteger(r[c]));
  const cells = new Map(columns.map((c) => {
    const even = numeric.has(c) && fractional(c);
    return [c, rows.map((r) => (even && typeof r[c] === 'number' && Number.isInteger(r[c]) ? (r[c] as number).toFixed(4) : formatCell(r[c])))];
  }));
  const widths = new Map(columns.map((c) => [c, Math.max(c.length, ...(cells.get(c) as string[]).map((s) => s.length))]));
  const total = () => columns.reduce((s, c) => s + (widths.get(c) as number), 0) + 2 * (columns.length - 1);
  // Cut the widest text columns down, then leave out the last columns, until the table fits.
  for (const c of [...columns].filter((c) => !numeric.has(c)).sort((a, b) => (widths.get(b) as number) - (widths.get(a) as number))) {
    const over = total() - width;
    if (over <= 0) break;
    widths.set(c, Math.max(MIN_CUT, c.length, (widths.get(c) as number) - over));
  }
  const left: string[] = [];
  while (columns.length > 1 && total() > width) left.unshift(columns.pop() as string);
  const fit = (c: string, s: string) => {
    const w = widths.get(c) as number;
    const cut = s.length > w ? `${s.slice(0, w - 1)}…` : s;
    return numeric.has(c) ? cut.padStart(w) : cut.padEnd(w);
  };
  const line = (values: (c: string) => string) => columns.map((c) => fit(c, values(c))).join('  ').trimEnd();
  const out = [line((c) => c), line((c) => '─'.repeat(widths.get(c) as number)), ...rows.map((_, i) => line((c) => (cells.get(c) as string[])[i] as string))];
  if (left.length) out.push(`(${left.length} more column${left.length > 1 ? 's' : ''} not shown: ${left.join(', ')}; --json or --csv has all)`);
  return out.join('\n');
}

/** The width to fit: the terminal's, or 120 columns on a pipe or file. */
export const terminalWidth = (stream: NodeJS.WriteStream = process.stdout): number => (stream.isTTY && stream.columns ? stream.columns : 120);
