/**
 * Units needed per arm to detect the minimum detectable effect with the given alpha and power,
 * two-sided: for a proportion the normal approximation on Cohen's h,
 * `NormalIndPower().solve_power(effect_size=h, ...)`; for a mean the noncentral t,
 * `TTestIndPower().solve_power(effect_size=d, ...)`. statsmodels solves power(n) = power by root
 * finding; so does this, by bisection to adjacent doubles on the same power function.
 * @see https://www.statsmodels.org/v0.13.5/generated/statsmodels.stats.power.NormalIndPower.solve_power.html
 * @see https://www.statsmodels.org/v0.13.5/generated/statsmodels.stats.power.TTestIndPower.solve_power.html
 */
import { noncentralTCdf, normalCdf, normalQuantile, normalSf, studentTQuantile } from './distributions';

/**
 * Power of the two-sided z-test, `NormalIndPower().power(effect_size, nobs1, alpha, ratio)`:
 * nobs2 = nobs1 ratio, effective n = 1 / (1/nobs1 + 1/nobs2).
 */
export function normalIndPower(effectSize: number, nobs1: number, alpha: number, ratio = 1): number {
  const nobs = 1 / (1 / nobs1 + 1 / (nobs1 * ratio));
  const alpha2 = alpha / 2;
  const shift = effectSize * Math.sqrt(nobs);
  return normalSf(-normalQuantile(alpha2) - shift) + normalCdf(normalQuantile(alpha2) - shift);
}

/**
 * Power of the two-sided two-sample t-test, `TTestIndPower().power(effect_size, nobs1, alpha,
 * ratio)`: df = nobs1 + nobs2 - 2, noncentrality d sqrt(1 / (1/nobs1 + 1/nobs2)).
 */
export function tTestIndPower(effectSize: number, nobs1: number, alpha: number, ratio = 1): number {
  const nobs2 = nobs1 * ratio;
  const df = nobs1 + nobs2 - 2;
  const nobs = 1 / (1 / nobs1 + 1 / nobs2);
  const nc = effectSize * Math.sqrt(nobs);
  const crit = studentTQuantile(1 - alpha / 2, df);
  return 1 - noncentralTCdf(crit, df, nc) + noncentralTCdf(-crit, df, nc);
}

/** Cohen's h between two rates, `statsmodels.stats.proportion.proportion_effectsize(p1, p2)`. */
export const cohensH = (p1: number, p2: number): number =>
  2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2));

/**
 * The nobs1 at which an increasing power function reaches `target`: a doubling bracket, then the
 * Illinois variant of regula falsi (superlinear, never leaves the bracket) down to adjacent doubles.
 */
function solveNobs(power: (n: number) => number, target: number, start = 2): number {
  const f = (n: number) => power(n) - target;
  let lo = Math.max(2, start);
  let flo = f(lo);
  if (flo >= 0) {
    if (lo === 2) return lo;
    lo = 2;
    flo = f(lo);
    if (flo >= 0) return lo;
  }
  let hi = lo * 2;
  let fhi = f(hi);
  while (fhi < 0) {
    lo = hi;
    flo = fhi;
    hi *= 2;
    if (hi > 1e15) return Infinity;
    fhi = f(hi);
  }
  let side = 0;
  for (let i = 0; i < 200 && hi - lo > 4 * Number.EPSILON * hi; i++) {
    let x = (lo * fhi - hi * flo) / (fhi - flo);
    if (!(x > lo && x < hi)) x = lo + (hi - lo) / 2;
    const fx = f(x);
    if (fx === 0) return x;
    if (fx < 0) {
      lo = x;
      flo = fx;
      if (side === -1) fhi /= 2;
      side = -1;
    } else {
      hi = x;
      fhi = fx;
      if (side === 1) flo /= 2;
      side = 1;
    }
  }
  // Of the two ends, the one whose power is nearer the target (what a root finder returns).
  return Math.abs(f(lo)) <= Math.abs(f(hi)) ? lo : hi;
}

/** What the sample size is computed from. */
export type SampleSizeInput =
  | { readonly kind: 'proportion'; readonly baselineRate: number }
  | { readonly kind: 'mean'; readonly baselineMean: number; readonly standardDeviation: number };

export interface SampleSizePlan {
  /** Cohen's h (proportion) or d (mean) of the minimum detectable effect. */
  readonly effectSize: number;
  /** The solver's control-arm size, before rounding up. */
  readonly nobs1: number;
  /** Units per arm, rounded up, in the order [control, treatment]. */
  readonly perArm: readonly [number, number];
}

/**
 * Sample size for a relative minimum detectable effect `mde` (0.05 = +5%) on the baseline.
 * @param ratio treatment units per control unit (the split's treatment share / control share)
 */
export function requiredSampleSize(
  input: SampleSizeInput,
  mde: number,
  alpha: number,
  power: number,
  ratio = 1,
): SampleSizePlan {
  const effectSize =
    input.kind === 'proportion'
      ? cohensH(input.baselineRate * (1 + mde), input.baselineRate)
      : (input.baselineMean * mde) / input.standardDeviation;
  const d = Math.abs(effectSize);
  const normalNobs = solveNobs((n) => normalIndPower(d, n, alpha, ratio), power);
  // The t-test needs a few more units than the z-test: its root is bracketed from the z root up.
  const nobs1 =
    input.kind === 'proportion'
      ? normalNobs
      : solveNobs((n) => tTestIndPower(d, n, alpha, ratio), power, normalNobs);
  return { effectSize, nobs1, perArm: [Math.ceil(nobs1), Math.ceil(nobs1 * ratio)] };
}
