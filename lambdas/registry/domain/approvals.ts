/**
 * The rules of sign-off, pure: who may decide on a request, what a decision does to it (recorded,
 * quorum met, rejected), and when it has expired. The use cases (`approval-flow.ts`) read and
 * write through the ports; these functions only decide.
 */
import type {
  ApprovalAction,
  ApprovalPolicy,
  ApprovalRequest,
  DecideApprovalRequest,
} from '../../../contracts/approvals';
import { ConflictError, ForbiddenError } from '../../shared/errors';

/**
 * Whether `caller` (the ARN API Gateway's IAM authorizer reports) is the approver `approver`
 * names: the same principal, or a session of the role (`arn:aws:iam::<acct>:role/<path/>Name`
 * matches `arn:aws:sts::<acct>:assumed-role/Name/<session>`; role paths are not in session ARNs).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
 */
export function principalMatches(approver: string, caller: string): boolean {
  if (approver === caller) return true;
  const role = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(approver);
  if (!role) return false;
  const [, partition, account, name] = role;
  return caller.startsWith(`arn:${partition}:sts::${account}:assumed-role/${name}/`);
}

/** A new request's id: time-ordered (base36 milliseconds), so ids list newest first by key. */
export function newApprovalId(now: Date, random: string): string {
  const time = now.getTime().toString(36).padStart(9, '0');
  return `apr-${time}${random.replace(/[^0-9a-z]/g, '').slice(0, 12)}`;
}

/** A new OPEN request for the move `action` of a version, under `policy`. */
export function openRequest(input: {
  id: string;
  modelName: string;
  version: number;
  action: ApprovalAction;
  requestedBy: string;
  author: string;
  policy: ApprovalPolicy;
  at: Date;
}): ApprovalRequest {
  const { at, ...rest } = input;
  const expiresAt = new Date(at.getTime() + input.policy.expiresAfterHours * 3_600_000);
  return {
    ...rest,
    status: 'OPEN',
    decisions: [],
    createdAt: at.toISOString(),
    expiresAt: expiresAt.toISOString(),
  };
}

/** Whether an OPEN request has outlived its expiry at `now`. */
export const isExpired = (request: ApprovalRequest, now: Date): boolean =>
  request.status === 'OPEN' && Date.parse(request.expiresAt) <= now.getTime();

/** The request closed as EXPIRED at `at`, nothing else changed. */
export function expire(request: ApprovalRequest, at: string): ApprovalRequest {
  return {
    ...request,
    status: 'EXPIRED',
    closedAt: at,
    closedReason: `no quorum of ${request.policy.quorum} by ${request.expiresAt}`,
  };
}

/** 409 `APPROVAL_CLOSED` naming how the request closed. */
export function closedError(request: ApprovalRequest): ConflictError {
  return new ConflictError(
    'APPROVAL_CLOSED',
    `approval ${request.id} of ${request.modelName} version ${request.version} is ${request.status}`,
    { details: { status: request.status, closedReason: request.closedReason } },
  );
}

/**
 * What `caller`'s decision does to an OPEN, unexpired request: it is recorded; an approval that
 * makes the quorum closes it APPROVED, a rejection closes it REJECTED. Refuses (changing nothing)
 * a caller who is not an approver (403), the version's author unless the policy allows (403), and
 * a second decision by the same principal (409).
 */
export function applyDecision(
  request: ApprovalRequest,
  caller: string,
  decision: DecideApprovalRequest,
  at: string,
): ApprovalRequest {
  if (request.status !== 'OPEN') throw closedError(request);
  const { policy } = request;
  if (!policy.approvers.some((a) => principalMatches(a, caller))) {
    throw new ForbiddenError(
      'NOT_AN_APPROVER',
      `${caller} is not an approver of ${request.modelName}; its approvers are ${policy.approvers.join(', ')}`,
    );
  }
  if (!policy.authorMayApprove && caller === request.author) {
    throw new ForbiddenError(
      'SELF_APPROVAL_REFUSED',
      `${caller} registered ${request.modelName} version ${request.version} and may not decide on it`,
    );
  }
  if (request.decisions.some((d) => d.principal === caller)) {
    throw new ConflictError(
      'APPROVAL_ALREADY_DECIDED',
      `${caller} already decided on approval ${request.id}`,
    );
  }
  const decisions = [...request.decisions, { principal: caller, ...decision, at }];
  const approvals = decisions.filter((d) => d.decision === 'approve').length;
  if (decision.decision === 'reject') {
    return { ...request, decisions, status: 'REJECTED', closedAt: at, closedReason: `rejected by ${caller}` };
  }
  if (approvals >= policy.quorum) {
    return {
      ...request,
      decisions,
      status: 'APPROVED',
      closedAt: at,
      closedReason: `approved by ${approvals} of ${policy.quorum} required`,
    };
  }
  return { ...request, decisions };
}
