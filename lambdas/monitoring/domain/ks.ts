/**
 * Two-sample Kolmogorov-Smirnov test, equal to `scipy.stats.ks_2samp(reference, current)` with its
 * defaults (`alternative='two-sided'`, `method='auto'`), ported from scipy 1.10.1: the statistic
 * from `searchsorted` on the pooled data (so ties count as scipy counts them), the exact p-value
 * when max(n1, n2) <= 10000, and `kstwo.sf(d, round(n1 n2 / (n1 + n2)))` otherwise or when the
 * exact computation fails.
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.ks_2samp.html
 */

import { gcd, isSorted, roundHalfEven, sortedCopy } from '../../shared/numeric';
import { assertFiniteSample } from './errors';
import { kstwoSf } from './kstwo';

/**
 * scipy's MAX_AUTO_N: 'auto' attempts the exact p-value when both sizes are at most this.
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.ks_2samp.html
 */
export const KS_MAX_AUTO_N = 10000;

/** Which computation produced a KS p-value. */
export type KsMethod = 'exact' | 'asymp';

/** Result of {@link ks2samp}: scipy's `KstestResult` plus the method actually used. */
export interface KsResult {
  /** sup |F_ref(x) - F_cur(x)|; when the exact path ran, rounded to h / lcm(n1, n2) as scipy does. */
  readonly statistic: number;
  /** Two-sided p-value, clipped to [0, 1]. */
  readonly pValue: number;
  /** The pooled value where the supremum is attained (scipy's `statistic_location`). */
  readonly statisticLocation: number;
  /** +1 when F_ref - F_cur is largest there, -1 when F_cur - F_ref is (scipy's `statistic_sign`). */
  readonly statisticSign: 1 | -1;
  /** 'exact' or 'asymp'; 'asymp' also when the exact attempt failed (scipy warns and switches). */
  readonly method: KsMethod;
  readonly referenceSize: number;
  readonly currentSize: number;
}

/**
 * Two-sided two-sample KS test, `scipy.stats.ks_2samp(reference, current)`.
 * @param reference reference sample (any order; copied and sorted)
 * @param current current sample (any order; copied and sorted)
 * @throws InvalidSampleError on an empty sample or a NaN / Infinity value
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.ks_2samp.html
 */
export function ks2samp(reference: ArrayLike<number>, current: ArrayLike<number>): KsResult {
  assertFiniteSample(reference, 'reference');
  assertFiniteSample(current, 'current');
  return ks2sampSorted(
    isSorted(reference) ? reference : sortedCopy(reference),
    isSorted(current) ? current : sortedCopy(current),
  );
}

/**
 * {@link ks2samp} on samples already sorted ascending, as merged shard summaries hold them: no copy,
 * no re-validation (summaries are validated when built).
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.ks_2samp.html
 */
export function ks2sampSorted(data1: ArrayLike<number>, data2: ArrayLike<number>): KsResult {
  const n1 = data1.length;
  const n2 = data2.length;
  const { d: rawD, location, sign } = ksStatistic(data1, data2);
  let d = rawD;
  const g = gcd(n1, n2);
  let pValue = Number.NaN;
  let method: KsMethod = Math.max(n1, n2) <= KS_MAX_AUTO_N ? 'exact' : 'asymp';
  if (method === 'exact') {
    const attempt = attemptExact(n1, n2, g, d);
    // scipy keeps the rounded statistic h/lcm even when it then falls back to 'asymp'.
    d = attempt.d;
    if (attempt.success) pValue = attempt.prob;
    else method = 'asymp';
  }
  if (method === 'asymp') {
    const m = Math.max(n1, n2);
    const n = Math.min(n1, n2);
    const en = (m * n) / (m + n);
    pValue = kstwoSf(d, roundHalfEven(en));
  }
  pValue = Math.min(Math.max(pValue, 0), 1);
  return {
    statistic: d,
    pValue,
    statisticLocation: location,
    statisticSign: sign,
    method,
    referenceSize: n1,
    currentSize: n2,
  };
}

/**
 * max(F1 - F2) and max(F2 - F1) over the pooled points, evaluated as scipy evaluates
 * `searchsorted(data, data_all, 'right') / n`, so `d` is bit-identical. The location is the first
 * maximiser in scipy's `data_all = concat(sorted data1, sorted data2)` order.
 */
function ksStatistic(
  data1: ArrayLike<number>,
  data2: ArrayLike<number>,
): { d: number; location: number; sign: 1 | -1 } {
  const n1 = data1.length;
  const n2 = data2.length;
  // Best (max and min of F1 - F2) over values present in data1, and over values only in data2:
  // a data1 value precedes every data2 value in data_all, so it wins argmax ties.
  let max1 = -Infinity;
  let max1At = Number.NaN;
  let min1 = Infinity;
  let min1At = Number.NaN;
  let max2 = -Infinity;
  let max2At = Number.NaN;
  let min2 = Infinity;
  let min2At = Number.NaN;
  let i = 0;
  let j = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && data1[i] <= data2[j]) ? data1[i] : data2[j];
    const inData1 = i < n1 && data1[i] === v;
    while (i < n1 && data1[i] <= v) i++;
    while (j < n2 && data2[j] <= v) j++;
    const diff = i / n1 - j / n2;
    if (inData1) {
      if (diff > max1) [max1, max1At] = [diff, v];
      if (diff < min1) [min1, min1At] = [diff, v];
    } else {
      if (diff > max2) [max2, max2At] = [diff, v];
      if (diff < min2) [min2, min2At] = [diff, v];
    }
  }
  const [maxS, locMax] = max1 >= max2 ? [max1, max1At] : [max2, max2At];
  const [minDiff, locMin] = min1 <= min2 ? [min1, min1At] : [min2, min2At];
  // np.clip(-min, 0, 1): the sign of minS is never negative.
  const minS = Math.min(Math.max(-minDiff, 0), 1);
  return minS > maxS ? { d: minS, location: locMin, sign: -1 } : { d: maxS, location: locMax, sign: 1 };
}

/** scipy `_attempt_exact_2kssamp` for the two-sided alternative. */
function attemptExact(
  n1: number,
  n2: number,
  g: number,
  d: number,
): { success: boolean; d: number; prob: number } {
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const dRounded = (h * 1.0) / lcm;
  if (h === 0) return { success: true, d: dRounded, prob: 1.0 };
  const prob = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInsideMethod(n1, n2, g, h);
  // scipy: a probability outside [0, 1] (or NaN) means the exact computation failed.
  return { success: prob >= 0 && prob <= 1, d: dRounded, prob };
}

/**
 * P(D_{n,n} >= h/n) = 2 (A0 (1 - A1 (1 - A2 (...)))): the alternating binomial sum evaluated
 * Horner-like to avoid subtractive cancellation (scipy `_compute_prob_outside_square`).
 * @see https://github.com/scipy/scipy/blob/v1.10.1/scipy/stats/_stats_py.py (_compute_prob_outside_square)
 */
export function probOutsideSquare(n: number, h: number): number {
  let P = 0.0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1.0;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1.0 - P);
  }
  return 2 * P;
}

/**
 * Proportion of lattice paths from (0,0) to (m,n) leaving the band |x/m - y/n| < h/lcm(m,n),
 * computed directly as 1 - p by Viehmann's recursion over a sliding window of one column
 * (scipy `_stats_pythran._compute_outer_prob_inside_method`).
 * @see https://arxiv.org/abs/2102.08037
 */
export function outerProbInsideMethod(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1.0;
    let val = minj === 0 ? 0.0 : 1.0;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1];
}
