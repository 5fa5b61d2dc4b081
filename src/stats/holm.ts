/**
 * Holm's step-down adjustment of p-values for multiple comparisons (family-wise error rate): the i-th
 * smallest of m p-values is multiplied by m - i (from 0), kept at least the adjusted one before it and
 * at most 1. Returns them in the order given; NaN stays NaN and does not count towards m.
 */
export function holmAdjust(ps: readonly number[]): number[] {
  const order = ps.map((p, i) => [p, i] as const).filter(([p]) => !Number.isNaN(p)).sort((a, b) => a[0] - b[0]);
  const out = ps.map(() => NaN);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (order.length - rank) * p));
    out[i] = running;
  });
  return out;
}
