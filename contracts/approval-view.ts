/**
 * An approval request as it may leave the registry. Apart from `approvals.ts` (which re-exports
 * it), whose schemas a function that only answers with approval requests need not build.
 */
import type { ApprovalRequest, ApprovalRequestView } from './approvals';

/** `request` as it may leave the registry: a waiting run's task token removed. */
export function approvalView(request: ApprovalRequest): ApprovalRequestView {
  if (request.action.kind !== 'promotion') return request as ApprovalRequestView;
  return { ...request, action: { kind: 'promotion', runId: request.action.runId } };
}
