/**
 * Two-arm tests of the effect treatment - control: Welch's t-test for means, the pooled
 * two-proportion z-test for rates, and the relative lift with its delta-method interval. Each
 * follows its reference's order of operations, so the statistics agree to the last bits.
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.ttest_ind_from_stats.html
 * @see https://www.statsmodels.org/v0.13.5/generated/statsmodels.stats.proportion.proportions_ztest.html
 */
import { normalQuantile, normalSf, studentTQuantile, studentTSf } from './distributions';

/** An arm's mean metric as the test reads it. `std` is the sample standard deviation (n - 1). */
export interface MeanSummary {
  readonly mean: number;
  readonly std: number;
  readonly n: number;
}

/** An arm's proportion metric: units that converted out of units observed. */
export interface ProportionSummary {
  readonly successes: number;
  readonly n: number;
}

/** A two-sided interval. */
export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

/** A test of treatment - control. */
export interface TestResult {
  /** treatment - control. */
  readonly effect: number;
  readonly standardError: number;
  readonly statistic: number;
  readonly pValue: number;
  /** Welch-Satterthwaite degrees of freedom; absent for z-tests. */
  readonly df?: number;
  /** The (1 - alpha) interval of the effect. */
  readonly interval: Interval;
}

/**
 * Welch's unequal-variances t-test, `scipy.stats.ttest_ind_from_stats(treatment..., control...,
 * equal_var=False)`, and the effect's (1 - alpha) interval with the Welch-Satterthwaite df (the
 * interval scipy 1.10 does not return; its t quantile is held to 40-digit values).
 */
export function welchTest(treatment: MeanSummary, control: MeanSummary, alpha: number): TestResult {
  const { effect, standardError, statistic, pValue, df } = welchStatistic(treatment, control);
  const q = studentTQuantile(1 - alpha / 2, df);
  return {
    effect,
    standardError,
    statistic,
    pValue,
    df,
    interval: { lower: effect - q * standardError, upper: effect + q * standardError },
  };
}

/** Welch's statistic, df and p-value without the interval (a t quantile costs ten tail evaluations). */
export function welchStatistic(
  treatment: MeanSummary,
  control: MeanSummary,
): Omit<TestResult, 'interval'> & { df: number } {
  const vn1 = (treatment.std * treatment.std) / treatment.n;
  const vn2 = (control.std * control.std) / control.n;
  const sum = vn1 + vn2;
  let df = (sum * sum) / ((vn1 * vn1) / (treatment.n - 1) + (vn2 * vn2) / (control.n - 1));
  // scipy replaces an undefined df (both variances zero) with 1.
  if (Number.isNaN(df)) df = 1;
  const standardError = Math.sqrt(sum);
  const effect = treatment.mean - control.mean;
  const statistic = effect / standardError;
  return { effect, standardError, statistic, pValue: studentTSf(Math.abs(statistic), df) * 2, df };
}

/**
 * Two-proportion z-test with the pooled variance, `statsmodels.stats.proportion.proportions_ztest(
 * [x_t, x_c], [n_t, n_c])`, and the unpooled Wald interval of the difference,
 * `confint_proportions_2indep(..., method='wald', compare='diff')`.
 * @see https://www.statsmodels.org/v0.13.5/generated/statsmodels.stats.proportion.confint_proportions_2indep.html
 */
export function proportionTest(
  treatment: ProportionSummary,
  control: ProportionSummary,
  alpha: number,
): TestResult {
  const p1 = (treatment.successes * 1) / treatment.n;
  const p2 = (control.successes * 1) / control.n;
  const effect = p1 - p2;
  const pooled = ((treatment.successes + control.successes) * 1) / (treatment.n + control.n);
  const nobsFactor = 1 / treatment.n + 1 / control.n;
  const pooledStd = Math.sqrt(pooled * (1 - pooled) * nobsFactor);
  const statistic = effect / pooledStd;
  const pValue = normalSf(Math.abs(statistic)) * 2;
  const variance = (p1 * (1 - p1)) / treatment.n + (p2 * (1 - p2)) / control.n;
  const standardError = Math.sqrt(variance);
  const z = -normalQuantile(alpha / 2);
  return {
    effect,
    standardError,
    statistic,
    pValue,
    interval: { lower: effect - z * standardError, upper: effect + z * standardError },
  };
}

/** Relative lift treatment / control - 1 and its delta-method interval. */
export interface LiftResult {
  readonly lift: number;
  readonly standardError: number;
  readonly interval: Interval;
}

/**
 * Relative lift of two independent arm means with the delta-method variance of a ratio,
 * Var(mt/mc) ~ vt / mc^2 + mt^2 vc / mc^4 (vt, vc the variances of the arm means), and a normal
 * (1 - alpha) interval, as GrowthBook and Eppo report relative effects.
 * @param varianceOfMeans [vt, vc]: squared standard errors of the two means
 * @see https://docs.growthbook.io/statistics/details
 */
export function relativeLift(
  treatmentMean: number,
  controlMean: number,
  varianceOfMeans: readonly [number, number],
  alpha: number,
): LiftResult {
  const [vt, vc] = varianceOfMeans;
  const lift = treatmentMean / controlMean - 1;
  const c2 = controlMean * controlMean;
  const standardError = Math.sqrt(vt / c2 + (treatmentMean * treatmentMean * vc) / (c2 * c2));
  const z = -normalQuantile(alpha / 2);
  return {
    lift,
    standardError,
    interval: { lower: lift - z * standardError, upper: lift + z * standardError },
  };
}
