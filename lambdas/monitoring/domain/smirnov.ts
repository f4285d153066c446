/**
 * The one-sided Kolmogorov-Smirnov (Smirnov) survival function `smirnov(n, x) = P(D+_n >= x)`, as
 * `scipy.special.smirnov` computes it (Cephes `kolmogorov.c` by van Mulbregt): the Birnbaum-Tingey
 * sum, term by term. Cephes carries the terms in double-double; here each term is formed in log
 * space from an exactly split `n*x`, which keeps the relative error near 1e-12 for the range
 * `kstwo` calls it with (n x^2 >= 2.2 or x >= 0.5), far inside the 1e-6 the p-values need.
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.special.smirnov.html
 * @see https://arxiv.org/abs/1802.06966 (van Mulbregt, computing the one-sided KS distribution)
 */

/** Cephes MINLOG = log(2^-1022): exp() below it underflows. */
const MINLOG = -708.3964185322641;
/** Cephes SMIRNOV_MAX_COMPUTE_N: above it the sum is replaced by an approximation. */
const SMIRNOV_MAX_COMPUTE_N = 1_000_000;
const EPSILON = Number.EPSILON;
/** Veltkamp splitter 2^27 + 1 for exact products (JavaScript has no fma). */
const SPLITTER = 134217729;
// The sum runs up to ~1e5 terms; module-level aliases skip a global lookup per call, which is
// costly inside sandboxed contexts such as jest's vm.
const { abs, exp, log, log1p } = Math;

/** Exact product a*b = hi + lo (Dekker's TwoProduct). */
function twoProduct(a: number, b: number): [number, number] {
  const hi = a * b;
  const ca = SPLITTER * a;
  const ahi = ca - (ca - a);
  const alo = a - ahi;
  const cb = SPLITTER * b;
  const bhi = cb - (cb - b);
  const blo = b - bhi;
  const lo = ahi * bhi - hi + ahi * blo + alo * bhi + alo * blo;
  return [hi, lo];
}

/**
 * floor(n*x) computed exactly, as Cephes `modNX` does in double-double: a product that rounds up
 * onto an integer must not move a term in or out of the sum.
 */
function splitNX(n: number, x: number): { hi: number; lo: number; floor: number; alpha: number } {
  const [hi, lo] = twoProduct(n, x);
  let floor = Math.floor(hi);
  let alpha: number;
  if (floor === hi) {
    if (lo < 0) {
      floor -= 1;
      alpha = 1 + lo;
    } else {
      alpha = lo;
    }
  } else {
    alpha = hi - floor + lo;
  }
  // Cephes: "If remainder is too close to 1, round up and adjust".
  if (alpha >= 1) {
    floor += 1;
    alpha = 0;
  }
  return { hi, lo, floor, alpha };
}

/**
 * Survival function of the one-sided statistic D+_n at x, `scipy.special.smirnov(n, x)`.
 *
 * Special cases follow Cephes: n = 1, x <= 1/n, x >= 1 - 1/n, sf underflow (-2 n x^2 < MINLOG),
 * and n > 1e6 (the `e^(-(6nx+1)^2/18n)` approximation). The upper (alternating) sum Cephes uses
 * for x <= 0.5/sqrt(n) is not ported: two-sided `kstwo` never asks for it (it calls this only with
 * n x^2 >= 2.2 or x >= 0.5), and the lower sum of positive terms is accurate there anyway.
 * @param n sample size, a positive integer
 * @param x statistic in [0, 1]
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.special.smirnov.html
 */
export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = splitNX(n, x);
  const nxfl = nx.floor;
  if (nxfl === 0 || (nxfl === 1 && nx.alpha === 0)) {
    // x <= 1/n: cdf = x (1+x)^(n-1)
    const cdf = x * Math.exp((n - 1) * Math.log1p(x));
    return clip(1 - cdf);
  }
  if (-2 * n * x * x < MINLOG) return 0;
  if (nxfl >= n - 1) return clip(Math.exp(n * Math.log1p(-x)));
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    // Maximise precision for small p-values, as Cephes does.
    return clip(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }
  return clip(x * lowerSum(n, x, nx));
}

/**
 * Sum_{v=0}^{n - floor(nx) - 1} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v): Birnbaum-Tingey's
 * series, all terms positive, stopped early the way Cephes stops it.
 */
function lowerSum(n: number, x: number, nx: { hi: number; lo: number; floor: number }): number {
  const nTerms = n - nx.floor;
  const vmid = Math.floor(n / 2);
  // Term 0: (1-x)^n / x.
  let sum = exp(n * log1p(-x)) / x;
  // log C(n, v), accumulated with Kahan compensation: thousands of increments otherwise drift.
  let logC = log(n);
  let logCCompensation = 0;
  for (let v = 1; v < nTerms; v++) {
    // n*(x + v/n) and n*(1 - x - v/n) from the exact split of n*x: no cancellation near the end.
    const t1n = v + nx.hi + nx.lo;
    const t2n = n - v - nx.hi - nx.lo;
    const t2 = t2n / n;
    // (n-v) can be ~1e6: log(1 - u) via log1p keeps its absolute error near eps, not eps*log(n).
    const logT2 = t2 < 0.5 ? log(t2) : log1p(-(t1n / n));
    const logTerm = logC + (v - 1) * log(t1n / n) + (n - v) * logT2;
    const term = exp(logTerm);
    if (Number.isFinite(term) && term !== 0) sum += term;
    if (term !== 0) {
      if (4 * (nTerms - v) * abs(term) < EPSILON * sum && v !== nTerms - 1) break;
    } else if (v > vmid) {
      break;
    }
    const y = log((n - v) / (v + 1)) - logCCompensation;
    const next = logC + y;
    logCCompensation = next - logC - y;
    logC = next;
  }
  return sum;
}

function clip(p: number): number {
  return Math.min(Math.max(p, 0), 1);
}
