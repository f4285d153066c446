/**
 * Always-valid inference: the asymptotic confidence sequence of Waudby-Smith et al. (2023) in the
 * form GrowthBook ships, so results can be read at every refresh without inflating the false
 * positive rate. The interval around an estimate with variance v after N units (both arms) is
 *   estimate +- sqrt(N v) sqrt( 2 (N rho^2 + 1) / (N^2 rho^2) ln( sqrt(N rho^2 + 1) / alpha ) ),
 * rho tuned so the sequence is tightest near `tuningN` units. The always-valid p-value is the
 * smallest alpha whose sequence (same rho) excludes zero, in closed form; it is below alpha exactly
 * when the interval excludes zero.
 * @see https://arxiv.org/abs/2103.06476 (eq. 161 for rho)
 * @see https://docs.growthbook.io/statistics/sequential
 */
import type { Interval } from './tests';

/** GrowthBook's default tuning: the sequence is tightest around this many units. */
export const DEFAULT_SEQUENTIAL_TUNING_N = 5000;

/** rho for a design alpha and tuning size. */
export function sequentialRho(alpha: number, tuningN: number): number {
  const l = -2 * Math.log(alpha);
  return Math.sqrt((l + Math.log(l + 1)) / tuningN);
}

/** Half-width of the (1 - alpha) confidence sequence after `n` units for an estimate of variance v. */
export function sequentialHalfWidth(n: number, variance: number, alpha: number, tuningN: number): number {
  const rho = sequentialRho(alpha, tuningN);
  const nr2 = n * rho * rho;
  return (
    Math.sqrt(n * variance) *
    Math.sqrt(((2 * (nr2 + 1)) / (n * n * rho * rho)) * Math.log(Math.sqrt(nr2 + 1) / alpha))
  );
}

export interface SequentialResult {
  readonly interval: Interval;
  /** Always-valid p-value: reading it at any time keeps P(p <= alpha under H0) <= alpha. */
  readonly pValue: number;
}

/** The confidence sequence and always-valid p-value of an estimate. */
export function sequentialInference(
  estimate: number,
  variance: number,
  n: number,
  alpha: number,
  tuningN = DEFAULT_SEQUENTIAL_TUNING_N,
): SequentialResult {
  const half = sequentialHalfWidth(n, variance, alpha, tuningN);
  const rho = sequentialRho(alpha, tuningN);
  const nr2 = n * rho * rho;
  // Solving half-width(alpha') = |estimate| for alpha' with rho held at the design alpha.
  const exponent = -(estimate * estimate * n * n * rho * rho) / (2 * n * variance * (nr2 + 1));
  const pValue = variance > 0 ? Math.min(1, Math.sqrt(nr2 + 1) * Math.exp(exponent)) : estimate === 0 ? 1 : 0;
  return { interval: { lower: estimate - half, upper: estimate + half }, pValue };
}
