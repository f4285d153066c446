/**
 * Floating-point building blocks shared by the drift statistics. They copy numpy's evaluation order
 * where it shows in the last bits (summation, rounding), so results agree with scipy to the ulp
 * rather than merely to 1e-12.
 */

/** numpy's buffer size: a reduction over more elements is done in chunks of this many. */
const NUMPY_BUFSIZE = 8192;
/** numpy's pairwise-summation block: below it the sum is unrolled eight ways. */
const PW_BLOCKSIZE = 128;

function pairwiseSum(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    const r = [a[start], a[start + 1], a[start + 2], a[start + 3]];
    const s = [a[start + 4], a[start + 5], a[start + 6], a[start + 7]];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      r[0] += a[start + i];
      r[1] += a[start + i + 1];
      r[2] += a[start + i + 2];
      r[3] += a[start + i + 3];
      s[0] += a[start + i + 4];
      s[1] += a[start + i + 5];
      s[2] += a[start + i + 6];
      s[3] += a[start + i + 7];
    }
    let res = r[0] + r[1] + (r[2] + r[3]) + (s[0] + s[1] + (s[2] + s[3]));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/**
 * Sums like `numpy.sum` on a contiguous float64 array: pairwise summation inside each 8192-element
 * buffer, buffers accumulated left to right. Checked bit-for-bit against numpy 1.24.
 * @see https://numpy.org/doc/1.24/reference/generated/numpy.sum.html (Notes: pairwise summation)
 */
export function numpySum(a: ArrayLike<number>): number {
  let total = 0;
  for (let start = 0; start < a.length; start += NUMPY_BUFSIZE) {
    total += pairwiseSum(a, start, Math.min(NUMPY_BUFSIZE, a.length - start));
  }
  return total;
}

/**
 * Population standard deviation as `numpy.std(x)` (ddof 0): mean by `numpySum`, then the root of
 * the mean squared deviation, in numpy's order of operations.
 * @see https://numpy.org/doc/1.24/reference/generated/numpy.std.html
 */
export function numpyStd(x: ArrayLike<number>): number {
  const mean = numpySum(x) / x.length;
  const sq = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - mean;
    sq[i] = d * d;
  }
  return Math.sqrt(numpySum(sq) / x.length);
}

/** Ascending copy as a Float64Array (numeric order, unlike `Array.prototype.sort`). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(values as ArrayLike<number>);
  out.sort();
  return out;
}

/** Whether a Float64Array (or array) is in ascending order, so callers can skip a sort. */
export function isSorted(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) if (values[i - 1] > values[i]) return false;
  return true;
}

/**
 * Rounds half to even, as `numpy.round` does (`Math.round` rounds half up).
 * @see https://numpy.org/doc/1.24/reference/generated/numpy.around.html
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // Math.round(2.5) = 3: step back to the even neighbour on exact ties.
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Greatest common divisor of two positive integers (Euclid). */
export function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/** Index of the first element > `x` in ascending `a` (numpy `searchsorted(a, x, 'right')`). */
export function searchSortedRight(a: ArrayLike<number>, x: number, lo = 0): number {
  let low = lo;
  let high = a.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (a[mid] <= x) low = mid + 1;
    else high = mid;
  }
  return low;
}
