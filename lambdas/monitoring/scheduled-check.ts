/**
 * The scheduled drift check: the target of each monitored model's EventBridge schedule rule,
 * whose constant input is `{"modelName": ...}`. A plain Lambda handler, so the local rule runner
 * invokes it exactly as EventBridge does.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html
 */
import { ScheduledCheckInput } from '../../contracts/monitoring';
import { logger } from '../shared/logger';
import { defaultDeps } from './deps';
import type { MonitoringDeps } from './domain/ports';
import { type CheckOutcome, runScheduledCheck } from './domain/scheduled-checks';

/** Builds the handler over the given ports. */
export const makeHandler =
  (deps: MonitoringDeps) =>
  async (event: unknown): Promise<CheckOutcome> => {
    const { modelName } = ScheduledCheckInput.parse(event);
    const outcome = await runScheduledCheck(deps, modelName);
    logger.info('scheduled drift check', {
      modelName,
      status: outcome.status,
      ...(outcome.status === 'REPORTED'
        ? { reportId: outcome.report.reportId, drifted: outcome.report.dataset?.drifted }
        : {}),
      ...(outcome.status === 'FANNED_OUT' ? { runId: outcome.runId, files: outcome.files } : {}),
    });
    return outcome.status === 'REPORTED'
      ? { ...outcome, report: { ...outcome.report, features: [] } } // the stored report holds the detail
      : outcome;
  };

let cached: ReturnType<typeof makeHandler> | undefined;

/** The Lambda entry point. */
export const handler = (event: unknown): Promise<CheckOutcome> => {
  cached ??= makeHandler(defaultDeps());
  return cached(event);
};
