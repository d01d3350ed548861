/** Hand arithmetic the tests use to state expected values: plain mean and Excel's PERCENTILE.INC. */
export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export function percentileInc(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * ((sorted[lo + 1] ?? sorted[lo]!) - sorted[lo]!);
}
