/**
 * Jensen-Shannon distance, equal to `scipy.spatial.distance.jensenshannon(p, q, base)` on the same
 * binned distributions as PSI (reference-quantile bins for numeric features, the union of
 * categories for categorical ones).
 *
 * Unlike PSI, no empty-bin floor is applied: the distance is finite with empty bins, and Evidently's
 * Jensen-Shannon test also bins with `feel_zeroes=False`. The distance lies in [0, sqrt(ln 2)] with
 * the natural log (the default, as in scipy) and in [0, 1] with `base: 2`.
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.spatial.distance.jensenshannon.html
 */

import { numpySum } from '../../shared/numeric';
import { alignCategories, type CategoryCounts, countCategories, totalOf } from './categories';
import { InvalidSampleError } from './errors';
import { type BinningOptions, countInBins, quantileBins } from './psi';

/** Options for the Jensen-Shannon distance. */
export interface JensenShannonOptions {
  /**
   * Base of the logarithm (scipy's `base`); 2 bounds the distance by 1.
   * @default - the natural logarithm (scipy's `base=None`)
   */
  readonly base?: number;
}

/** scipy.special.rel_entr: x ln(x/y), 0 for x = 0, +Infinity when y = 0 < x. */
function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

function checkWeights(counts: readonly number[], role: string): void {
  if (counts.length === 0) throw new InvalidSampleError(`${role} distribution is empty`);
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    if (!(counts[i] >= 0) || !Number.isFinite(counts[i])) {
      throw new InvalidSampleError(
        `${role} distribution has an invalid weight (${counts[i]}) at index ${i}`,
        {
          details: { sample: role, index: i, problem: 'BAD_COUNT' },
        },
      );
    }
    total += counts[i];
  }
  if (total === 0) throw new InvalidSampleError(`${role} distribution sums to zero`);
}

/**
 * `jensenshannon(p, q, base)` on two aligned non-negative vectors (counts or proportions; each is
 * normalised to sum 1 as scipy does).
 *
 * Where rounding makes the divergence a hair below zero for identical inputs, scipy's `sqrt` would
 * answer NaN; this returns 0 instead.
 * @throws InvalidSampleError when lengths differ, a vector is empty, sums to 0 or holds a negative
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.spatial.distance.jensenshannon.html
 */
export function jensenShannonFromCounts(
  p: readonly number[],
  q: readonly number[],
  options: JensenShannonOptions = {},
): number {
  if (p.length !== q.length) {
    throw new InvalidSampleError(`reference has ${p.length} bins but current has ${q.length}`, {
      details: { problem: 'BIN_MISMATCH' },
    });
  }
  checkWeights(p, 'reference');
  checkWeights(q, 'current');
  const pSum = numpySum(p);
  const qSum = numpySum(q);
  const left = new Float64Array(p.length);
  const right = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / pSum;
    const qi = q[i] / qSum;
    const m = (pi + qi) / 2.0;
    left[i] = relEntr(pi, m);
    right[i] = relEntr(qi, m);
  }
  let js = numpySum(left) + numpySum(right);
  if (options.base !== undefined) js /= Math.log(options.base);
  return Math.sqrt(Math.max(js / 2.0, 0));
}

/** Jensen-Shannon distance with the bins (or categories) and counts it ran over. */
export interface JensenShannonResult {
  readonly statistic: number;
  readonly referenceCounts: readonly number[];
  readonly currentCounts: readonly number[];
}

/**
 * Jensen-Shannon distance of a numeric feature on the reference's quantile bins (as PSI).
 * @throws InvalidSampleError on an empty sample or NaN / Infinity
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.spatial.distance.jensenshannon.html
 */
export function jensenShannon(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: BinningOptions & JensenShannonOptions = {},
): JensenShannonResult & { readonly cutPoints: readonly number[] } {
  const bins = quantileBins(reference, options);
  const referenceCounts = countInBins(reference, bins, 'reference');
  const currentCounts = countInBins(current, bins, 'current');
  return {
    statistic: jensenShannonFromCounts(referenceCounts, currentCounts, options),
    cutPoints: bins.cutPoints,
    referenceCounts,
    currentCounts,
  };
}

/**
 * Jensen-Shannon distance between category counts, over the union of categories.
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.spatial.distance.jensenshannon.html
 */
export function categoricalJensenShannonFromCounts(
  reference: CategoryCounts,
  current: CategoryCounts,
  options: JensenShannonOptions = {},
): JensenShannonResult & { readonly categories: readonly string[] } {
  totalOf(reference, 'reference');
  totalOf(current, 'current');
  const aligned = alignCategories(reference, current);
  return {
    statistic: jensenShannonFromCounts(aligned.referenceCounts, aligned.currentCounts, options),
    ...aligned,
  };
}

/**
 * Jensen-Shannon distance between two samples of category labels.
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.spatial.distance.jensenshannon.html
 */
export function categoricalJensenShannon(
  reference: ArrayLike<string>,
  current: ArrayLike<string>,
  options: JensenShannonOptions = {},
): JensenShannonResult & { readonly categories: readonly string[] } {
  return categoricalJensenShannonFromCounts(
    countCategories(reference, 'reference'),
    countCategories(current, 'current'),
    options,
  );
}
