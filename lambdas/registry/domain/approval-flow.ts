/**
 * Use cases of sign-off: a governed move to Production opens a request instead of acting;
 * approvers decide; the decision that meets the quorum runs the move, as its requester asked, in
 * the same transaction that closes the request; a rejection or the expiry closes it with nothing
 * changed. Racing decisions are conditioned on the decisions read, so one wins and the other
 * decides again on what it finds.
 */

import { approvalView } from '../../../contracts/approval-view';
import type {
  ApprovalAction,
  ApprovalRequest,
  ApprovalRequestView,
  DecideApprovalRequest,
  ListApprovalsQuery,
} from '../../../contracts/approvals';
import { RegistryEvent } from '../../../contracts/events';
import type { ModelVersion, TransitionStageRequest } from '../../../contracts/registry';
import { answerOnCommit } from '../../shared/effect-scope';
import { ConflictError, NotFoundError, PlatformError } from '../../shared/errors';
import { applyDecision, closedError, expire, isExpired, newApprovalId, openRequest } from './approvals';
import { auditRecord } from './audit';
import { effectivePolicy } from './governance';
import { requireActiveModel, requireModel } from './models';
import type { Actor, Page, RegistryDeps } from './ports';
import { MAX_ARCHIVED_PER_TRANSITION } from './stages';
import { planTransition, requireGovernance, requireReady, requireVersion, transitionStage } from './versions';

/** Decisions retried after losing a race to another decision on the same request. */
const MAX_DECISION_ATTEMPTS = 20;

/** The principal the expiry sweep acts as in the audit trail. */
export const EXPIRY_PRINCIPAL = 'cdk-mlops:approval-expiry';

/** A move's outcome: done, or waiting for sign-off on the request it opened. */
export type TransitionOutcome =
  | { readonly moved: ModelVersion; readonly approval?: undefined }
  | { readonly approval: ApprovalRequestView; readonly moved?: undefined };

/**
 * `POST .../stage`: a move to Production of a model whose policy asks for sign-off opens a
 * request (after the governance checks pass); anything else moves now.
 */
export async function requestOrTransition(
  deps: RegistryDeps,
  actor: Actor,
  name: string,
  number: number,
  req: TransitionStageRequest,
): Promise<TransitionOutcome> {
  if (req.stage === 'Production') {
    const model = await requireActiveModel(deps, name);
    if (effectivePolicy(deps.policy, model).approval) {
      const action = {
        kind: 'transition',
        stage: 'Production',
        archiveExistingVersions: req.archiveExistingVersions,
      };
      return { approval: await openApproval(deps, actor, name, number, action as ApprovalAction) };
    }
  }
  return { moved: await transitionStage(deps, actor, name, number, req) };
}

/**
 * Opens a request for `action` on a version that passes every automatic check (model active,
 * version READY, governance), refusing one while another request of the version is OPEN. Answers
 * the request as it may be read: a promotion's task token stays in storage.
 */
export async function openApproval(
  deps: RegistryDeps,
  actor: Actor,
  name: string,
  number: number,
  action: ApprovalAction,
): Promise<ApprovalRequestView> {
  const model = await requireActiveModel(deps, name);
  const policy = effectivePolicy(deps.policy, model).approval;
  if (!policy)
    throw new ConflictError('CONCURRENT_MODIFICATION', `model ${name} no longer asks for sign-off`);
  const version = requireReady(await requireVersion(deps, name, number));
  requireGovernance(deps, model, version);
  if (version.stage === 'Production') {
    throw new ConflictError('STAGE_UNCHANGED', `${name} version ${number} is already in Production`);
  }
  const latest = await deps.approvals.latestOf(name, number);
  await refusePending(deps, name, number, latest);
  const now = deps.now();
  const request = openRequest({
    id: newApprovalId(now, deps.newId()),
    modelName: name,
    version: number,
    action,
    requestedBy: actor.principal,
    author: version.createdBy,
    policy,
    at: now,
  });
  const audit = auditRecord(deps, actor, request.createdAt, {
    action: RegistryEvent.APPROVAL_REQUESTED,
    modelName: name,
    version: number,
    after: approvalView(request),
  });
  answerOnCommit({ approval: approvalView(request) }, 202);
  try {
    await deps.approvals.putRequest(request, audit, latest);
  } catch (err) {
    // Another open of the version committed first: that one is the version's pending request.
    if (err instanceof ConflictError)
      await refusePending(deps, name, number, await deps.approvals.latestOf(name, number));
    throw err;
  }
  return approvalView(request);
}

/** APPROVAL_PENDING when the version's latest request is still OPEN and unexpired. */
async function refusePending(deps: RegistryDeps, name: string, number: number, latestId: string | undefined) {
  // A request opened before the latest-request item existed is found by listing.
  const pending = latestId
    ? await deps.approvals.getRequest(name, latestId)
    : (await deps.approvals.listRequests(name, { limit: 100, status: 'OPEN' })).items.find(
        (r) => r.version === number,
      );
  if (pending && pending.status === 'OPEN' && !isExpired(pending, deps.now())) {
    throw new ConflictError('APPROVAL_PENDING', `${name} version ${number} already waits on ${pending.id}`, {
      details: { approvalId: pending.id },
    });
  }
}

/** The stored request, task token included: for the registry's own writes and the token's relay. */
export async function requireApproval(
  deps: RegistryDeps,
  name: string,
  id: string,
): Promise<ApprovalRequest> {
  const found = await deps.approvals.getRequest(name, id);
  if (!found) throw new NotFoundError('APPROVAL_NOT_FOUND', `model ${name} has no approval ${id}`);
  return found;
}

/** `GET .../approvals/{id}`: the request as it may be read. */
export async function getApproval(
  deps: RegistryDeps,
  name: string,
  id: string,
): Promise<ApprovalRequestView> {
  return approvalView(await requireApproval(deps, name, id));
}

export async function listApprovals(
  deps: RegistryDeps,
  name: string,
  query: ListApprovalsQuery,
): Promise<Page<ApprovalRequestView>> {
  await requireModel(deps, name);
  const page = await deps.approvals.listRequests(name, query);
  return { ...page, items: page.items.map(approvalView) };
}

/**
 * Records `actor`'s decision. The one that meets the quorum of a `transition` request applies the
 * move in the same transaction, as the requester (archiving as they asked); for a `rollout` or
 * `promotion` the capability that waits on the request acts on its APPROVED status.
 */
export async function decideApproval(
  deps: RegistryDeps,
  actor: Actor,
  name: string,
  id: string,
  decision: DecideApprovalRequest,
): Promise<ApprovalRequestView> {
  for (let attempt = 1; ; attempt++) {
    const request = await requireApproval(deps, name, id);
    const now = deps.now();
    if (isExpired(request, now)) throw closedError(await expireApproval(deps, actor, request));
    const at = now.toISOString();
    const after = applyDecision(request, actor.principal, decision, at);
    const update = { after, expectedDecisions: request.decisions.length };
    const audit = auditRecord(deps, actor, at, {
      action: RegistryEvent.APPROVAL_DECIDED,
      modelName: name,
      version: request.version,
      before: { status: request.status, decisions: request.decisions.length },
      after: {
        approvalId: id,
        ...decision,
        status: after.status,
        decisions: after.decisions.length,
        // What the request stands for, so a rule can send each kind to the capability that acts on it.
        kind: after.action.kind,
        requestedBy: after.requestedBy,
      },
    });
    try {
      if (after.status === 'APPROVED' && after.action.kind === 'transition') {
        const requester = {
          principal: after.requestedBy,
          ...(actor.requestId ? { requestId: actor.requestId } : {}),
        };
        const req = {
          stage: 'Production' as const,
          archiveExistingVersions: after.action.archiveExistingVersions,
        };
        // The request and the decision's audit ride in the transition's transaction.
        const { plan, audits } = await planTransition(deps, requester, name, after.version, req, {
          approved: after,
          maxArchived: MAX_ARCHIVED_PER_TRANSITION - 1,
        });
        answerOnCommit(approvalView(after));
        await deps.store.applyStageTransition(plan, [audit, ...audits], update);
      } else {
        answerOnCommit(approvalView(after));
        await deps.approvals.updateRequest(update, audit);
      }
      return approvalView(after);
    } catch (err) {
      // A racing decision may have closed the request and moved the version between this read and
      // this write (the move then finds the version in Production): decide again on what is there.
      if (!(err instanceof PlatformError)) throw err;
      const latest = await deps.approvals.getRequest(name, id);
      // Only a race on the request itself is decided again; a version that moved meanwhile is the caller's.
      const raced =
        latest && (latest.status !== request.status || latest.decisions.length !== request.decisions.length);
      if (!raced || attempt >= MAX_DECISION_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** attempt)));
    }
  }
}

/** Closes an OPEN request as EXPIRED (audited as ApprovalExpired); a request closed meanwhile is returned as found. */
export async function expireApproval(
  deps: RegistryDeps,
  actor: Actor,
  request: ApprovalRequest,
): Promise<ApprovalRequest> {
  const at = deps.now().toISOString();
  const after = expire(request, at);
  const audit = auditRecord(deps, actor, at, {
    action: RegistryEvent.APPROVAL_EXPIRED,
    modelName: request.modelName,
    version: request.version,
    before: { status: request.status, decisions: request.decisions.length },
    after: {
      approvalId: request.id,
      status: after.status,
      expiresAt: request.expiresAt,
      kind: request.action.kind,
      requestedBy: request.requestedBy,
    },
  });
  try {
    await deps.approvals.updateRequest({ after, expectedDecisions: request.decisions.length }, audit);
    return after;
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    return (await deps.approvals.getRequest(request.modelName, request.id)) ?? after;
  }
}

/**
 * Records that the rollout an APPROVED request stood for was refused when it tried to start
 * (`refusal`: the error it met), so the request reads START_FAILED with the reason, the requester
 * and approvers hear of it (ApprovalStartFailed), and the grant is spent: a rollout asked again
 * opens a new request. Conditioned on the request still being APPROVED; a request found otherwise
 * (already recorded by a redelivery) is returned as found.
 */
export async function recordStartFailure(
  deps: RegistryDeps,
  actor: Actor,
  name: string,
  id: string,
  refusal: { readonly code: string; readonly message: string },
): Promise<ApprovalRequestView> {
  const request = await requireApproval(deps, name, id);
  if (request.status !== 'APPROVED' || request.action.kind !== 'rollout') return approvalView(request);
  const at = deps.now().toISOString();
  const after: ApprovalRequest = {
    ...request,
    status: 'START_FAILED',
    startFailure: { code: refusal.code, message: refusal.message, at },
  };
  const audit = auditRecord(deps, actor, at, {
    action: RegistryEvent.APPROVAL_START_FAILED,
    modelName: name,
    version: request.version,
    before: { status: request.status },
    after: {
      approvalId: id,
      status: after.status,
      code: refusal.code,
      message: refusal.message,
      kind: request.action.kind,
      requestedBy: request.requestedBy,
    },
  });
  try {
    await deps.approvals.updateRequest(
      { after, expectedDecisions: request.decisions.length, expectedStatus: 'APPROVED' },
      audit,
    );
    return approvalView(after);
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    return approvalView((await deps.approvals.getRequest(name, id)) ?? after);
  }
}

/** The sweep: closes every OPEN request past its expiry, up to `limit` per run; returns those closed. */
export async function expireDueApprovals(deps: RegistryDeps, limit = 100): Promise<ApprovalRequest[]> {
  const now = deps.now();
  const due = await deps.approvals.listExpiring(now.toISOString(), limit);
  const closed: ApprovalRequest[] = [];
  for (const request of due.filter((r) => isExpired(r, now))) {
    const after = await expireApproval(deps, { principal: EXPIRY_PRINCIPAL }, request);
    if (after.status === 'EXPIRED') closed.push(after);
  }
  return closed;
}
