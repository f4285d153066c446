/**
 * Holdout evaluation of challenger and champion: the same rows, the same metric code as
 * monitoring's quality reports (exact to sklearn 1.2, tested against its fixtures), so a model's
 * registered metrics and its later quality baseline mean the same thing. Plus the demographic
 * parity difference over a sensitive column, for the fairness check of governance.
 * @see https://scikit-learn.org/1.2/modules/model_evaluation.html
 * @see https://fairlearn.org/v0.10/api_reference/generated/fairlearn.metrics.demographic_parity_difference.html
 */
import type { ProblemType } from '../../../contracts/monitoring';
import { qualityMetrics } from '../../monitoring';

/** Metrics of scores against labels. Binary scores are P(label = 1); regression scores are the prediction. */
export function holdoutMetrics(
  labels: readonly (number | string)[],
  scores: readonly number[],
  problemType: ProblemType,
  threshold = 0.5,
): Record<string, number> {
  if (labels.length !== scores.length) throw new Error(`${labels.length} labels but ${scores.length} scores`);
  const metrics = qualityMetrics(
    labels.map((label, i) => ({ label, prediction: scores[i] })),
    { problemType, decisionThreshold: threshold, positiveLabel: 1 },
  );
  const { count: _count, ...rest } = metrics;
  return rest;
}

/**
 * The largest difference in positive-prediction rate between groups of `groups` (fairlearn's
 * `demographic_parity_difference` with method between_groups). Rows without a group are left out.
 * @returns undefined when fewer than two groups have rows
 */
export function demographicParityDifference(
  scores: readonly number[],
  groups: readonly unknown[],
  threshold = 0.5,
): number | undefined {
  const byGroup = new Map<string, { positive: number; total: number }>();
  scores.forEach((s, i) => {
    const g = groups[i];
    if (g === null || g === undefined || g === '') return;
    const key = String(g);
    const entry = byGroup.get(key) ?? { positive: 0, total: 0 };
    entry.total++;
    if (s >= threshold) entry.positive++;
    byGroup.set(key, entry);
  });
  if (byGroup.size < 2) return undefined;
  const rates = [...byGroup.values()].map((e) => e.positive / e.total);
  return Math.max(...rates) - Math.min(...rates);
}
