/**
 * Chi-square goodness of fit of the current category counts against the reference's proportions,
 * equal to `scipy.stats.chisquare(f_obs, f_exp)` with `f_obs` the current counts and
 * `f_exp = (reference count / reference total) * current total`, over the union of both sides'
 * categories (ascending), as Evidently builds its chi-square test. Degrees of freedom: categories - 1.
 *
 * Edge cases, decided here because scipy gives no usable number:
 * - A category seen in current but never in reference has expected count 0, so its term is
 *   (obs - 0)^2 / 0 = +Infinity: the statistic is `Infinity` and the p-value 0, which is what scipy
 *   returns for that table. A category the model never saw is certain drift; the categories are
 *   listed in `unseenCategories` so a report can say why. (JSON renders Infinity as null.)
 * - A single category in all (df = 0): scipy answers NaN; here the statistic is 0 and the p-value 1,
 *   as one category cannot change its share.
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.chisquare.html
 */

import { chi2Sf, numpySum } from '../../shared/numeric';
import { alignCategories, type CategoryCounts, countCategories, totalOf } from './categories';

/** Result of a chi-square goodness-of-fit test. */
export interface ChiSquareResult {
  /** Pearson's statistic sum (obs - exp)^2 / exp; `Infinity` when current has unseen categories. */
  readonly statistic: number;
  /** P(chi2_df >= statistic), `scipy.stats.chi2.sf`. */
  readonly pValue: number;
  /** Degrees of freedom: number of categories - 1. */
  readonly df: number;
  /** Categories in the order the table was summed. */
  readonly categories: readonly string[];
  readonly observed: readonly number[];
  readonly expected: readonly number[];
  /** Categories present in current but absent from reference (they make the statistic infinite). */
  readonly unseenCategories: readonly string[];
}

/**
 * Chi-square test from category counts, e.g. from merged shard summaries.
 * @throws InvalidSampleError when a side is empty or a count is not a non-negative integer
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.chisquare.html
 */
export function chiSquareFromCounts(reference: CategoryCounts, current: CategoryCounts): ChiSquareResult {
  const referenceTotal = totalOf(reference, 'reference');
  const currentTotal = totalOf(current, 'current');
  const { categories, referenceCounts, currentCounts } = alignCategories(reference, current);
  const expected = referenceCounts.map((c) => (c / referenceTotal) * currentTotal);
  // numpy's `**2` is an exact square (x*x); `Math.pow` need not be.
  const terms = currentCounts.map((obs, i) => {
    const d = obs - expected[i];
    return (d * d) / expected[i];
  });
  const unseenCategories = categories.filter((_, i) => referenceCounts[i] === 0);
  const df = categories.length - 1;
  const base = { df, categories, observed: currentCounts, expected, unseenCategories };
  if (unseenCategories.length > 0) return { statistic: Infinity, pValue: 0, ...base };
  if (df === 0) return { statistic: 0, pValue: 1, ...base };
  const statistic = numpySum(terms);
  return { statistic, pValue: chi2Sf(statistic, df), ...base };
}

/**
 * Chi-square test of two samples of category labels.
 * @throws InvalidSampleError on an empty sample or a non-string label
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.chisquare.html
 */
export function chiSquare(reference: ArrayLike<string>, current: ArrayLike<string>): ChiSquareResult {
  return chiSquareFromCounts(countCategories(reference, 'reference'), countCategories(current, 'current'));
}
