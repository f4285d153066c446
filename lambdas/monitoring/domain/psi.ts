/**
 * Population Stability Index, PSI = sum_i (ref_i - cur_i) ln(ref_i / cur_i) over bins.
 *
 * Numeric features are binned at the reference's quantiles:
 * - `bins` (default 10) equal-probability bins: cut points are `numpy.quantile(reference,
 *   linspace(0, 1, bins + 1))` (numpy's default 'linear' method) without the two ends, duplicates
 *   dropped, so a reference with ties gets fewer bins rather than empty ones.
 * - Bins are [c_i, c_{i+1}), the outer ones open to -Infinity and +Infinity, so current values
 *   outside the reference's range still count (a value equal to a cut point goes to the bin above).
 *
 * Empty bins (Evidently's `feel_zeroes` rule, applied to each side separately): a zero proportion
 * is replaced by 1e-4, or by (smallest non-zero proportion) / 1e6 when that smallest proportion
 * is itself <= 1e-4, so the floor stays below every observed share. Proportions are not
 * renormalised afterwards. Without the floor an empty bin would make PSI infinite.
 *
 * Categorical features use the union of both sides' categories as bins, with the same floor.
 * @see https://github.com/evidentlyai/evidently/blob/main/src/evidently/legacy/calculations/stattests/utils.py
 * @see https://numpy.org/doc/1.24/reference/generated/numpy.quantile.html
 */

import { numpySum, searchSortedRight, sortedCopy } from '../../shared/numeric';
import { alignCategories, type CategoryCounts, countCategories, totalOf } from './categories';
import { assertFiniteSample, InvalidSampleError, type SampleRole } from './errors';

/** Default number of reference-quantile bins, the usual choice for PSI (deciles). */
export const DEFAULT_PSI_BINS = 10;
/** Proportion given to an empty bin (Evidently). */
export const EMPTY_BIN_PROPORTION = 1e-4;

/** Cut points between bins (ascending, distinct); k cut points make k + 1 bins. */
export interface QuantileBins {
  readonly cutPoints: readonly number[];
}

/** Options for numeric PSI and Jensen-Shannon. */
export interface BinningOptions {
  /**
   * Number of reference-quantile bins before duplicate cut points are dropped.
   * @default 10
   */
  readonly bins?: number;
}

/**
 * `numpy.quantile(sorted, linspace(0, 1, bins + 1))` with numpy 1.24's 'linear' method, including
 * its lerp (`b - (b-a)(1-t)` for t >= 0.5), so edges are bit-identical to numpy's.
 * @see https://numpy.org/doc/1.24/reference/generated/numpy.quantile.html
 */
export function quantileEdges(sorted: ArrayLike<number>, bins: number): number[] {
  const n = sorted.length;
  const step = 1 / bins; // linspace multiplies arange by delta/div, then sets the last to stop
  const edges: number[] = [];
  for (let i = 0; i <= bins; i++) {
    const q = i === bins ? 1 : i * step;
    const virtual = (n - 1) * q;
    if (virtual >= n - 1) {
      edges.push(sorted[n - 1]);
      continue;
    }
    const lo = Math.floor(virtual);
    const t = virtual - lo;
    const a = sorted[lo];
    const b = sorted[lo + 1];
    const diff = b - a;
    edges.push(t >= 0.5 ? b - diff * (1 - t) : a + diff * t);
  }
  return edges;
}

/**
 * The reference's quantile bins: interior quantiles, de-duplicated.
 * @throws InvalidSampleError on an empty reference, NaN / Infinity, or `bins` not an integer >= 1
 * @see https://numpy.org/doc/1.24/reference/generated/numpy.quantile.html
 */
export function quantileBins(reference: ArrayLike<number>, options: BinningOptions = {}): QuantileBins {
  const bins = options.bins ?? DEFAULT_PSI_BINS;
  if (!Number.isInteger(bins) || bins < 1) {
    throw new InvalidSampleError(`bins must be an integer >= 1, got ${bins}`, {
      details: { problem: 'BAD_BINS' },
    });
  }
  assertFiniteSample(reference, 'reference');
  const edges = quantileEdges(sortedCopy(reference), bins).slice(1, -1);
  return { cutPoints: edges.filter((e, i) => i === 0 || e !== edges[i - 1]) };
}

/**
 * Counts per bin: bin i holds values v with cutPoints[i-1] <= v < cutPoints[i].
 * @see https://numpy.org/doc/1.24/reference/generated/numpy.searchsorted.html
 */
export function countInBins(
  values: ArrayLike<number>,
  bins: QuantileBins,
  role: SampleRole = 'current',
): number[] {
  assertFiniteSample(values, role);
  const counts = new Array<number>(bins.cutPoints.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) counts[searchSortedRight(bins.cutPoints, values[i])]++;
  return counts;
}

/**
 * Proportions count/total with Evidently's empty-bin floor (see the module comment).
 * @see https://github.com/evidentlyai/evidently/blob/main/src/evidently/legacy/calculations/stattests/utils.py (get_binned_data)
 */
export function flooredProportions(counts: readonly number[], total: number): number[] {
  const proportions = counts.map((c) => c / total);
  let smallest = Infinity;
  for (const p of proportions) if (p !== 0 && p < smallest) smallest = p;
  const floor = smallest <= EMPTY_BIN_PROPORTION ? smallest / 1e6 : EMPTY_BIN_PROPORTION;
  return proportions.map((p) => (p === 0 ? floor : p));
}

function checkCounts(counts: readonly number[], role: SampleRole): number {
  let total = 0;
  for (const c of counts) {
    if (!Number.isInteger(c) || c < 0) {
      throw new InvalidSampleError(`${role} bin counts must be non-negative integers, got ${c}`, {
        details: { sample: role, problem: 'BAD_COUNT' },
      });
    }
    total += c;
  }
  if (total === 0)
    throw new InvalidSampleError(`${role} sample is empty`, { details: { sample: role, problem: 'EMPTY' } });
  return total;
}

/**
 * PSI from counts on the same bins (or categories, in the same order), e.g. from merged shard
 * summaries.
 * @throws InvalidSampleError when the lengths differ or a side is empty
 * @see https://github.com/evidentlyai/evidently/blob/main/src/evidently/legacy/calculations/stattests/psi.py
 */
export function psiFromCounts(referenceCounts: readonly number[], currentCounts: readonly number[]): number {
  if (referenceCounts.length !== currentCounts.length) {
    throw new InvalidSampleError(
      `reference has ${referenceCounts.length} bins but current has ${currentCounts.length}`,
      { details: { problem: 'BIN_MISMATCH' } },
    );
  }
  const ref = flooredProportions(referenceCounts, checkCounts(referenceCounts, 'reference'));
  const cur = flooredProportions(currentCounts, checkCounts(currentCounts, 'current'));
  const terms = ref.map((r, i) => (r - cur[i]) * Math.log(r / cur[i]));
  return numpySum(terms);
}

/** PSI of a numeric feature, with its bins and counts so a report can draw them. */
export interface PsiResult {
  readonly statistic: number;
  readonly cutPoints: readonly number[];
  readonly referenceCounts: readonly number[];
  readonly currentCounts: readonly number[];
}

/**
 * PSI of a numeric feature on the reference's quantile bins.
 * @throws InvalidSampleError on an empty sample or NaN / Infinity
 * @see https://github.com/evidentlyai/evidently/blob/main/src/evidently/legacy/calculations/stattests/psi.py
 */
export function psi(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: BinningOptions = {},
): PsiResult {
  const bins = quantileBins(reference, options);
  const referenceCounts = countInBins(reference, bins, 'reference');
  const currentCounts = countInBins(current, bins, 'current');
  return {
    statistic: psiFromCounts(referenceCounts, currentCounts),
    cutPoints: bins.cutPoints,
    referenceCounts,
    currentCounts,
  };
}

/** PSI of a categorical feature, with the categories it ran over. */
export interface CategoricalPsiResult {
  readonly statistic: number;
  readonly categories: readonly string[];
  readonly referenceCounts: readonly number[];
  readonly currentCounts: readonly number[];
}

/**
 * Categorical PSI from category counts (e.g. merged summaries) over the union of categories.
 * @see https://github.com/evidentlyai/evidently/blob/main/src/evidently/legacy/calculations/stattests/psi.py
 */
export function categoricalPsiFromCounts(
  reference: CategoryCounts,
  current: CategoryCounts,
): CategoricalPsiResult {
  totalOf(reference, 'reference');
  totalOf(current, 'current');
  const aligned = alignCategories(reference, current);
  return { statistic: psiFromCounts(aligned.referenceCounts, aligned.currentCounts), ...aligned };
}

/**
 * Categorical PSI of two samples of category labels.
 * @see https://github.com/evidentlyai/evidently/blob/main/src/evidently/legacy/calculations/stattests/psi.py
 */
export function categoricalPsi(
  reference: ArrayLike<string>,
  current: ArrayLike<string>,
): CategoricalPsiResult {
  return categoricalPsiFromCounts(
    countCategories(reference, 'reference'),
    countCategories(current, 'current'),
  );
}
