/**
 * First Wasserstein (earth mover's) distance between two 1-D empirical distributions, equal to
 * `scipy.stats.wasserstein_distance(u, v, u_weights, v_weights)`: the integral of |U(x) - V(x)|
 * evaluated exactly as scipy's `_cdf_distance(1, ...)` does (CDFs at the pooled sorted values,
 * times the gaps between them, summed with numpy's pairwise summation), so the result matches to
 * the last bits, not just to 1e-12.
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.wasserstein_distance.html
 */

import { isSorted, numpyStd, numpySum, sortedCopy } from '../../shared/numeric';
import { assertFiniteSample, assertWeights } from './errors';

/** Evidently's floor on the reference standard deviation when normalising the distance. */
export const MIN_NORMALISING_STD = 0.001;

interface SortedSide {
  readonly values: ArrayLike<number>;
  /** Cumulative weights with a leading 0 (scipy's `sorted_cumweights`); absent when unweighted. */
  readonly cumulative?: Float64Array;
}

function prepare(
  values: ArrayLike<number>,
  weights: ArrayLike<number> | undefined,
  role: string,
): SortedSide {
  assertFiniteSample(values, role);
  if (weights === undefined) return { values: isSorted(values) ? values : sortedCopy(values) };
  assertWeights(weights, values.length, role);
  // Stable argsort: tied values keep their weights' order (scipy's quicksort may not, which only
  // changes rounding inside a tie; the cumulative weight after the whole tie is what is read).
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const sorted = new Float64Array(values.length);
  const cumulative = new Float64Array(values.length + 1);
  for (let i = 0; i < order.length; i++) {
    sorted[i] = values[order[i]];
    cumulative[i + 1] = cumulative[i] + weights[order[i]];
  }
  return { values: sorted, cumulative };
}

/** CDF after the first `index` sorted values: index/n, or cumulative weight / total weight. */
function cdfAt(side: SortedSide, index: number): number {
  if (side.cumulative === undefined) return index / side.values.length;
  return side.cumulative[index] / side.cumulative[side.cumulative.length - 1];
}

function distanceSorted(u: SortedSide, v: SortedSide): number {
  const nu = u.values.length;
  const nv = v.values.length;
  const total = nu + nv;
  // Merge to the pooled sorted values (scipy: concatenate, then a stable sort).
  const all = new Float64Array(total);
  for (let i = 0, j = 0, k = 0; k < total; k++) {
    all[k] = j >= nv || (i < nu && u.values[i] <= v.values[j]) ? u.values[i++] : v.values[j++];
  }
  const products = new Float64Array(total - 1);
  let iu = 0;
  let iv = 0;
  for (let k = 0; k < total - 1; k++) {
    const x = all[k];
    // searchsorted(sorted, x, 'right'), advanced monotonically along the pooled values.
    while (iu < nu && u.values[iu] <= x) iu++;
    while (iv < nv && v.values[iv] <= x) iv++;
    products[k] = Math.abs(cdfAt(u, iu) - cdfAt(v, iv)) * (all[k + 1] - all[k]);
  }
  return numpySum(products);
}

/**
 * `scipy.stats.wasserstein_distance(u, v, uWeights, vWeights)`.
 * @param u first sample (any order)
 * @param v second sample (any order)
 * @param uWeights optional non-negative weights of `u`, same length, positive finite sum
 * @param vWeights optional non-negative weights of `v`
 * @throws InvalidSampleError on an empty sample, NaN / Infinity, or invalid weights
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.wasserstein_distance.html
 */
export function wassersteinDistance(
  u: ArrayLike<number>,
  v: ArrayLike<number>,
  uWeights?: ArrayLike<number>,
  vWeights?: ArrayLike<number>,
): number {
  return distanceSorted(prepare(u, uWeights, 'reference'), prepare(v, vWeights, 'current'));
}

/**
 * Unweighted distance between samples already sorted ascending (merged shard summaries): no copy.
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.wasserstein_distance.html
 */
export function wassersteinDistanceSorted(u: ArrayLike<number>, v: ArrayLike<number>): number {
  return distanceSorted({ values: u }, { values: v });
}

/**
 * Wasserstein distance divided by the reference's population standard deviation (`numpy.std`,
 * floored at 0.001), Evidently's `wasserstein` drift score: unit-free, so one threshold (0.1)
 * fits every numeric feature. Computed on sorted values when given a sorted reference.
 * @see https://github.com/evidentlyai/evidently/blob/main/src/evidently/legacy/calculations/stattests/wasserstein_distance_norm.py
 */
export function normalisedWassersteinDistance(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): number {
  const distance = wassersteinDistance(reference, current);
  return distance / Math.max(numpyStd(reference), MIN_NORMALISING_STD);
}
