/**
 * The distribution functions the experiment statistics need, written for the last digits: the
 * normal tail (Cephes `ndtr`'s argument scaling, an `erfc` whose exp(-x^2) is split so the square's
 * rounding does not leak into the tail), the normal quantile, Student's t tail and quantile through
 * the regularized incomplete beta, and the noncentral t CDF for power. The log-gamma and chi-square
 * tail are monitoring's (already held to scipy by the drift tests).
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.special.ndtr.html
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.special.betainc.html
 */
import { logGamma, upperGammaFraction } from '../../shared/numeric';

const EPSILON = Number.EPSILON;
const FPMIN = Number.MIN_VALUE / EPSILON;
const MAX_ITERATIONS = 200_000;
const SQRT_PI = Math.sqrt(Math.PI);
/** Cephes' SQRTH: ndtr(x) = erfc(-x SQRTH) / 2, the product rounded the same way as scipy's. */
const SQRTH = Math.SQRT1_2;

/** exp(-x^2) with x^2 taken as hi^2 + (2 hi lo + lo^2), hi holding x's top bits so hi^2 is exact. */
function expMinusSquare(x: number): number {
  const hi = Math.floor(x * 65536 + 0.5) / 65536;
  const lo = x - hi;
  return Math.exp(-hi * hi) * Math.exp(-(2 * hi * lo + lo * lo));
}

/**
 * Complementary error function: Taylor series of erf below 1.2, else the continued fraction of
 * Q(1/2, x^2) (modified Lentz) times exp(-x^2) x / sqrt(pi).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 1.2) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < Math.abs(sum) * EPSILON * 0.5) break;
    }
    return 1 - (2 / SQRT_PI) * sum;
  }
  if (x > 27.3) return 0;
  // erfc(x) = Q(1/2, x^2): the upper incomplete gamma's continued fraction, with its prefactor
  // e^-x^2 x / sqrt(pi) computed without cancellation.
  const h = upperGammaFraction(0.5, x * x);
  return ((expMinusSquare(x) * x) / SQRT_PI) * h;
}

/** Standard normal CDF, `scipy.stats.norm.cdf` (Cephes `ndtr`). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * SQRTH);
}

/** Standard normal survival function P(Z > x), `scipy.stats.norm.sf`. */
export function normalSf(x: number): number {
  return 0.5 * erfc(x * SQRTH);
}

/** Standard normal density. */
function normalPdf(x: number): number {
  return expMinusSquare(x * SQRTH) / Math.sqrt(2 * Math.PI);
}

/**
 * Standard normal quantile, `scipy.stats.norm.ppf`: Abramowitz and Stegun 26.2.23 to start, then
 * Newton steps on whichever tail is smaller, so the residual is relative to the tail's own size.
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.special.ndtri.html
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  const upper = p > 0.5;
  const q = upper ? 1 - p : p;
  // The upper tail's q = 1 - p is exact only as far as p is; solve on the lower tail when p < 0.5.
  const t = Math.sqrt(-2 * Math.log(q));
  let x =
    t -
    (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t ** 3);
  for (let i = 0; i < 100; i++) {
    const f = normalSf(x) - q;
    const step = f / normalPdf(x);
    x += step;
    if (Math.abs(step) <= Math.abs(x) * EPSILON) break;
  }
  return upper ? x : -x;
}

/** Stirling's correction lnGamma(x) - ((x - 1/2) ln x - x + ln(2 pi)/2), for x >= 20. */
function stirlingCorrection(x: number): number {
  const r = 1 / (x * x);
  return (
    (1 / 12 -
      r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r * (1 / 1188 - r * (691 / 360360 - r / 156)))))) /
    x
  );
}

/** lnGamma(a) - lnGamma(a + s) for a >= 20 without the cancellation of two large logs. */
function logGammaRatio(a: number, s: number): number {
  return (
    -(a - 0.5) * Math.log1p(s / a) -
    s * Math.log(a + s) +
    s +
    stirlingCorrection(a) -
    stirlingCorrection(a + s)
  );
}

/** ln B(a, b), stable when one argument is large. */
export function logBeta(a: number, b: number): number {
  const big = Math.max(a, b);
  const small = Math.min(a, b);
  if (big >= 20) return logGamma(small) + logGammaRatio(big, small);
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** Continued fraction of the incomplete beta (Numerical Recipes' betacf, modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < FPMIN) d = FPMIN;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b), given both x and y = 1 - x so a caller that knows y more
 * exactly than 1 - x (a t tail) keeps those digits. `scipy.special.betainc(a, b, x)`.
 */
export function regularizedBeta(a: number, b: number, x: number, y = 1 - x): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedBeta(b, a, y, x);
  // Near 1, ln x from y keeps the digits a large `a` would multiply.
  const logX = x > 0.5 ? Math.log1p(-y) : Math.log(x);
  const logY = y > 0.5 ? Math.log1p(-x) : Math.log(y);
  const logFront = a * logX + b * logY - logBeta(a, b);
  return (Math.exp(logFront) * betaContinuedFraction(a, b, x)) / a;
}

/**
 * Student t survival function P(T > t) with `df` degrees of freedom, `scipy.stats.t.sf(t, df)`:
 * I_{df/(df+t^2)}(df/2, 1/2) / 2, with ln x = -log1p(t^2/df) and y = t^2/(df+t^2) taken directly.
 */
export function studentTSf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  if (t < 0) return 1 - studentTSf(-t, df);
  if (t === 0) return 0.5;
  const t2 = t * t;
  const y = t2 / (df + t2);
  const x = df / (df + t2);
  return 0.5 * regularizedBeta(df / 2, 0.5, x, y);
}

/** ln of Student's t density at t. */
function studentTLogPdf(t: number, df: number): number {
  const half = df / 2;
  const logGammaQuotient = half >= 20 ? -logGammaRatio(half, 0.5) : logGamma(half + 0.5) - logGamma(half);
  return logGammaQuotient - 0.5 * Math.log(df * Math.PI) - (half + 0.5) * Math.log1p((t * t) / df);
}

/**
 * Above this many degrees of freedom the incomplete-beta continued fraction (a = df/2 huge, x near
 * 1) loses ~1e-10 to cancellation, while the Cornish-Fisher series' first omitted term is below
 * 1e-16 of the quantile.
 */
const CORNISH_FISHER_MIN_DF = 10_000;

/**
 * t quantile as the normal quantile z plus Fisher's expansion in 1/df (Abramowitz and Stegun 26.7.5).
 * @see https://personal.math.ubc.ca/~cbm/aands/page_949.htm
 */
function cornishFisher(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

/**
 * Student t quantile, `scipy.stats.t.ppf(p, df)` to the last digits (scipy 1.10's own is off by up
 * to 5e-12 relative; the fixtures hold this one to 40-digit values): a bracket on the smaller tail,
 * Newton steps that fall back to bisection when they leave it.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1) || !(df > 0)) return Number.NaN;
  if (p === 0.5) return 0;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (df >= CORNISH_FISHER_MIN_DF) return cornishFisher(normalQuantile(p), df);
  const upper = p > 0.5;
  const q = upper ? 1 - p : p;
  // Cornish-Fisher from the normal quantile starts Newton within a few steps of the root for
  // moderate df; the bracket (found by doubling) catches the heavy tails of small df.
  const z = -normalQuantile(q);
  let lo = 0;
  let hi = Math.max(1, 2 * z);
  while (studentTSf(hi, df) > q) {
    lo = hi;
    hi *= 2;
  }
  const start = cornishFisher(z, df);
  let x = start > lo && start < hi ? start : (lo + hi) / 2;
  for (let i = 0; i < 400; i++) {
    const f = studentTSf(x, df) - q;
    if (f === 0) break;
    if (f > 0) lo = x;
    else hi = x;
    let next = x + f / Math.exp(studentTLogPdf(x, df));
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    const converged = Math.abs(next - x) <= Math.abs(x) * EPSILON * 2;
    x = next;
    if (converged || hi - lo <= Math.abs(x) * EPSILON) break;
  }
  return upper ? x : -x;
}

/**
 * Noncentral t CDF P(T <= t) for t >= 0 (Lenth's AS 243 series): Phi(-delta) plus Poisson- and
 * gamma-weighted incomplete betas in x = t^2/(t^2 + df), summed outward from the Poisson mode.
 * @see https://doi.org/10.2307/2347693
 */
function noncentralTCdfNonNegative(t: number, df: number, delta: number): number {
  const t2 = t * t;
  const x = t2 / (t2 + df);
  const y = df / (t2 + df);
  const lambda = (delta * delta) / 2;
  const b = df / 2;
  let sum = 0;
  const mode = Math.floor(lambda);
  const logLambda = Math.log(lambda);
  for (let j = 0; j < MAX_ITERATIONS; j++) {
    const logWeight = -lambda + (j === 0 ? 0 : j * logLambda);
    const p = Math.exp(logWeight - logGamma(j + 1));
    const q = (delta / Math.SQRT2) * Math.exp(logWeight - logGamma(j + 1.5));
    const term = p * regularizedBeta(j + 0.5, b, x, y) + q * regularizedBeta(j + 1, b, x, y);
    sum += term;
    // Past the Poisson mode the weights only shrink; stop once they cannot move the sum.
    if (j > mode && Math.abs(p) + Math.abs(q) < EPSILON * 1e-3 * Math.abs(sum)) break;
  }
  return normalCdf(-delta) + 0.5 * sum;
}

/** Noncentral t CDF, `scipy.stats.nct.cdf(t, df, nc)`. */
export function noncentralTCdf(t: number, df: number, delta: number): number {
  if (t >= 0) return noncentralTCdfNonNegative(t, df, delta);
  return 1 - noncentralTCdfNonNegative(-t, df, -delta);
}
