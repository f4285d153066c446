/**
 * Approval replies as schemas, checked at compile time against the stored `ApprovalRequest`, so
 * the API document cannot drift from what the handlers send.
 */
import * as z from 'zod';
import {
  ApprovalActionView,
  ApprovalPolicy,
  type ApprovalRequestView,
  ApprovalStatus,
  DecisionVerdict,
} from './approvals';
import { lazySchema } from './lazy-schema';
import { type Same, sameShape } from './same-shape';

export const ApprovalDecisionResponse = lazySchema(() =>
  z.object({
    principal: z.string(),
    decision: DecisionVerdict,
    comment: z.string(),
    at: z.string(),
  }),
);

export const ApprovalRequestResponse = lazySchema(() =>
  z.object({
    id: z.string(),
    modelName: z.string(),
    version: z.number().int(),
    action: ApprovalActionView,
    status: ApprovalStatus,
    requestedBy: z.string(),
    author: z.string(),
    policy: ApprovalPolicy,
    decisions: z.array(ApprovalDecisionResponse),
    createdAt: z.string(),
    expiresAt: z.string(),
    closedAt: z.string().optional(),
    closedReason: z.string().optional(),
    startFailure: z.object({ code: z.string(), message: z.string(), at: z.string() }).optional(),
  }),
);

/** A governed move to Production, accepted for sign-off (202): the request it opened. */
export const ApprovalPendingResponse = lazySchema(() => z.object({ approval: ApprovalRequestResponse }));

sameShape<Same<z.output<typeof ApprovalRequestResponse>, ApprovalRequestView>>(true);
