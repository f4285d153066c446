/**
 * Human sign-off before Production: the approval policy (per model, over the platform's default),
 * the approval requests a governed move to Production opens, and the decisions approvers record.
 * The policy sits in the governance policy (`GovernancePolicy.approval`), so every function that
 * builds the registry service from `GOVERNANCE_POLICY` enforces it; without one, nothing changes.
 */
import * as z from 'zod';

import type { ApprovalPolicy } from './governance-policy';
import { lazySchema } from './lazy-schema';

export { ApprovalPolicy, PrincipalArn } from './governance-policy';

export const ApprovalId = lazySchema(() =>
  z.string().regex(/^apr-[0-9a-z]{10,40}$/, 'must be an approval id (apr-...)'),
);

/**
 * `START_FAILED`: approved, but the rollout it stood for was refused when it tried to start (the
 * endpoint locked by another rollout or an experiment, the version no longer promotable); the
 * grant is spent, and the rollout asked again opens a new request.
 */
export const ApprovalStatus = lazySchema(() =>
  z.enum(['OPEN', 'APPROVED', 'REJECTED', 'EXPIRED', 'START_FAILED']),
);
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

/**
 * The rollout body as posted (`StartDeploymentRequest`, which the route already checked); stated
 * here without importing it, as the deployment contracts import the registry's, which import these.
 */
const RolloutAsked = lazySchema(() =>
  z.strictObject({
    version: z.number().int().min(1),
    canarySteps: z.array(z.number()).optional(),
    bakeMinutes: z.number().optional(),
  }),
);

/**
 * What runs once the quorum approves, as the original caller asked: a stage transition (the
 * registry applies it in the approving decision's transaction); a rollout (the deployment
 * capability starts it on the ApprovalDecided event, with the body the caller posted, as them,
 * under the request's id); or a retraining run's promotion, waiting in its state machine on the
 * Step Functions task token the request carries (sent SendTaskSuccess on approval,
 * SendTaskFailure on rejection or expiry).
 */
export const ApprovalAction = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('transition'),
      stage: z.literal('Production'),
      archiveExistingVersions: z.boolean(),
    }),
    z.strictObject({ kind: z.literal('rollout'), request: RolloutAsked }),
    z.strictObject({
      kind: z.literal('promotion'),
      runId: z.string().max(128),
      /** Step Functions task tokens are up to 1024 characters. */
      taskToken: z.string().max(1024),
    }),
  ]),
);
export type ApprovalAction = z.infer<typeof ApprovalAction>;

/**
 * The action as read and published: a promotion's task token is a credential (whoever holds it
 * can complete or fail the run's wait), so it stays in the registry table and never leaves it.
 */
export const ApprovalActionView = lazySchema(() =>
  z.discriminatedUnion('kind', [
    ApprovalAction.options[0],
    ApprovalAction.options[1],
    z.strictObject({ kind: z.literal('promotion'), runId: z.string().max(128) }),
  ]),
);
export type ApprovalActionView = z.infer<typeof ApprovalActionView>;

export const DecisionVerdict = lazySchema(() => z.enum(['approve', 'reject']));
export type DecisionVerdict = z.infer<typeof DecisionVerdict>;

/** `POST /models/{name}/approvals/{id}/decisions`. */
export const DecideApprovalRequest = lazySchema(() =>
  z.strictObject({
    decision: DecisionVerdict,
    comment: z.string().max(2048).default(''),
  }),
);
export type DecideApprovalRequest = z.infer<typeof DecideApprovalRequest>;

export const ListApprovalsQuery = lazySchema(() =>
  z.strictObject({
    status: ApprovalStatus.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    nextToken: z.string().max(2048).optional(),
  }),
);
export type ListApprovalsQuery = z.infer<typeof ListApprovalsQuery>;

/** One approver's decision, as recorded. */
export interface ApprovalDecision {
  readonly principal: string;
  readonly decision: DecisionVerdict;
  readonly comment: string;
  readonly at: string;
}

/** An approval request as stored and returned. */
export interface ApprovalRequest {
  readonly id: string;
  readonly modelName: string;
  readonly version: number;
  readonly action: ApprovalAction;
  readonly status: ApprovalStatus;
  /** Who asked for the move; the action runs as them once approved. */
  readonly requestedBy: string;
  /** The version's author (`createdBy`), refused as approver unless the policy allows. */
  readonly author: string;
  /** The policy in force when the request opened; later policy edits do not move its goalposts. */
  readonly policy: ApprovalPolicy;
  readonly decisions: ApprovalDecision[];
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly closedAt?: string;
  /** Why it closed: the quorum, the rejecting approver, or the expiry. */
  readonly closedReason?: string;
  /** Why the approved rollout did not start (status `START_FAILED`): the refusal it met. */
  readonly startFailure?: ApprovalStartFailure;
}

/** The refusal an approved rollout met when it tried to start: its error code and message. */
export interface ApprovalStartFailure {
  readonly code: string;
  readonly message: string;
  readonly at: string;
}

/** An approval request as every route answers it and every event carries it: without a task token. */
export type ApprovalRequestView = Omit<ApprovalRequest, 'action'> & { readonly action: ApprovalActionView };
export { approvalView } from './approval-view';
