/**
 * The rollout's markers on the model's dashboard: after each task that changes what serves, the
 * challenger's traffic percent (the step's at a shift, 0 once weights are restored or the
 * challenger is promoted into the champion's place) and, at the end, a 1 under its outcome
 * (`PROMOTED` or `ROLLED_BACK`).
 */
import { ROLLOUT_METRICS, type RolloutTaskName } from '../../../contracts/deployment';
import type { MetricsDocument } from '../../shared/metrics';
import type { RolloutState } from './state';

/** What `task` reports, given the state it returned; nothing for a task that changed no weight. */
export function rolloutMetrics(task: RolloutTaskName, after: RolloutState, at: number): MetricsDocument[] {
  const model = { [ROLLOUT_METRICS.modelDimension]: after.modelName };
  const weight = (value: number): MetricsDocument => ({
    namespace: ROLLOUT_METRICS.namespace,
    dimensions: model,
    metrics: [{ name: ROLLOUT_METRICS.challengerWeight, unit: 'Percent', value }],
    timestamp: at,
  });
  switch (task) {
    case 'shiftTraffic':
      return [weight(after.steps[after.bake?.stepIndex ?? 0] ?? 0)];
    case 'restoreWeights':
      return [weight(0)];
    case 'finishPromotion':
    case 'finishRollback': {
      const status = after.outcome?.status;
      if (!status) return [];
      return [
        weight(0),
        {
          namespace: ROLLOUT_METRICS.namespace,
          dimensions: { ...model, [ROLLOUT_METRICS.outcomeDimension]: status },
          metrics: [{ name: ROLLOUT_METRICS.outcome, unit: 'Count', value: 1 }],
          timestamp: at,
        },
      ];
    }
    default:
      return [];
  }
}
