/**
 * Sample ratio mismatch: whether the arms' unit counts fit the configured split, by Pearson's
 * chi-square goodness of fit, `scipy.stats.chisquare(counts, total * split / 100)`. A broken split
 * (a cache serving one arm, a redirect dropping units) biases every comparison, so a mismatch hides
 * the verdict rather than qualifies it.
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.chisquare.html
 * @see https://www.microsoft.com/en-us/research/group/experimentation-platform-exp/articles/diagnosing-sample-ratio-mismatch-in-a-b-testing/
 */
import { chi2Sf, numpySum } from '../../shared/numeric';

/** Below this p-value the split is broken (the industry's customary threshold). */
export const SRM_P_VALUE_THRESHOLD = 0.001;

export interface SampleRatioResult {
  readonly statistic: number;
  readonly pValue: number;
  readonly expected: readonly number[];
  /** p < 0.001. */
  readonly mismatch: boolean;
}

/**
 * Chi-square of observed counts against a split in percent (same order, summing to 100). With no
 * units yet there is nothing to test: statistic 0, p-value 1.
 */
export function sampleRatioMismatch(
  counts: readonly number[],
  splitPercent: readonly number[],
): SampleRatioResult {
  const total = numpySum(counts);
  const expected = splitPercent.map((s) => (total * s) / 100);
  if (total === 0) return { statistic: 0, pValue: 1, expected, mismatch: false };
  const terms = counts.map((obs, i) => {
    const d = obs - expected[i];
    return (d * d) / expected[i];
  });
  const statistic = numpySum(terms);
  const pValue = chi2Sf(statistic, counts.length - 1);
  return { statistic, pValue, expected, mismatch: pValue < SRM_P_VALUE_THRESHOLD };
}
