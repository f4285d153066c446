/**
 * A report's event as its audit record: committed with the report's index entry and published by
 * the audit outbox, so the event exists exactly when the report does (a retried check or a keyed
 * replay finds it committed, never half-sent). The report id is the record's id, which consumers
 * de-duplicate on.
 */
import type { AuditRecord, MonitoringEventType } from '../../../contracts/events';

/** Who a monitoring event is from: the checks act for the platform, not for a caller. */
export const MONITORING_ACTOR = 'cdk-mlops:monitoring';

export function reportEvent(
  action: MonitoringEventType,
  report: {
    readonly reportId: string;
    readonly modelName: string;
    readonly modelVersion?: number;
    readonly createdAt: string;
  },
  after: Record<string, unknown>,
): AuditRecord {
  return {
    id: report.reportId,
    at: report.createdAt,
    actor: MONITORING_ACTOR,
    action,
    modelName: report.modelName,
    ...(report.modelVersion === undefined ? {} : { version: report.modelVersion }),
    after,
  };
}
