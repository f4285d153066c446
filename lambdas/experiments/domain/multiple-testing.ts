/**
 * Adjusted p-values for several metrics tested at once: Holm's step-down (family-wise error) and
 * Benjamini-Hochberg (false discovery rate), `statsmodels.stats.multitest.multipletests(p, alpha,
 * method='holm' | 'fdr_bh')`, in statsmodels' own arithmetic (BH divides by i/n, not multiplies by
 * n/i), so adjusted values agree to the bit.
 * @see https://www.statsmodels.org/v0.13.5/generated/statsmodels.stats.multitest.multipletests.html
 */

export interface AdjustedPValues {
  readonly adjusted: number[];
  readonly reject: boolean[];
}

/** Indices ordering p ascending (ties by index: their adjusted values are equal either way). */
const ascendingOrder = (p: readonly number[]) => p.map((_, i) => i).sort((a, b) => p[a] - p[b] || a - b);

function unsort<T>(order: readonly number[], sorted: readonly T[]): T[] {
  const out = new Array<T>(order.length);
  order.forEach((original, i) => {
    out[original] = sorted[i];
  });
  return out;
}

/** Holm-Bonferroni step-down adjustment. */
export function holm(pValues: readonly number[], alpha = 0.05): AdjustedPValues {
  const n = pValues.length;
  const order = ascendingOrder(pValues);
  const sorted = order.map((i) => pValues[i]);
  const notReject = sorted.map((p, i) => p > alpha / (n - i));
  const firstNotReject = notReject.indexOf(true);
  const rejectSorted = sorted.map((_, i) => firstNotReject === -1 || i < firstNotReject);
  const adjustedSorted: number[] = [];
  let running = -Infinity;
  for (let i = 0; i < n; i++) {
    running = Math.max(running, sorted[i] * (n - i));
    adjustedSorted.push(Math.min(running, 1));
  }
  return {
    adjusted: unsort(order, adjustedSorted),
    reject: unsort(order, rejectSorted),
  };
}

/** Benjamini-Hochberg step-up adjustment (independent or positively dependent tests). */
export function benjaminiHochberg(pValues: readonly number[], alpha = 0.05): AdjustedPValues {
  const n = pValues.length;
  const order = ascendingOrder(pValues);
  const sorted = order.map((i) => pValues[i]);
  const ecdf = sorted.map((_, i) => (i + 1) / n);
  const below = sorted.map((p, i) => p <= ecdf[i] * alpha);
  const lastBelow = below.lastIndexOf(true);
  const rejectSorted = sorted.map((_, i) => i <= lastBelow);
  const adjustedSorted = new Array<number>(n);
  let running = Infinity;
  for (let i = n - 1; i >= 0; i--) {
    running = Math.min(running, sorted[i] / ecdf[i]);
    adjustedSorted[i] = Math.min(running, 1);
  }
  return {
    adjusted: unsort(order, adjustedSorted),
    reject: unsort(order, rejectSorted),
  };
}
