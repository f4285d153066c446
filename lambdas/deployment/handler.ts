/**
 * The rollout routes: `POST /models/{name}/deployments` starts a canary rollout of a version
 * (202), `GET /models/{name}/deployments/{deploymentId}` reports it; the inventory routes list a
 * model's rollouts (`GET /models/{name}/deployments`) and every endpoint (`GET /endpoints`). A
 * model that asks for sign-off gets an approval request from the start route instead (202 with
 * it); the ApprovalDecided event that approves it starts the rollout here.
 */

import type { Context } from 'aws-lambda';
import { DEPLOYMENT_ROUTES } from '../../contracts/deployment-routes';
import { actorOf, type HttpEvent, type HttpResult, json, ok } from '../shared/http';
import { withIdempotency } from '../shared/idempotency';
import { logger } from '../shared/logger';
import { makeRouter } from '../shared/router';
import { apiDeps, type DeploymentHandlerDeps } from './deps';
import { completeStart, getDeployment, startApprovedRollout, startDeployment } from './domain/api';
import { listDeployments, listEndpoints } from './domain/inventory';

/** Builds the handler over the given ports: tests pass their own, Lambda uses `apiDeps()`. */
export function makeHandler(deps: DeploymentHandlerDeps) {
  return makeRouter(
    DEPLOYMENT_ROUTES,
    {
      StartDeployment: async ({ event, params, body }) =>
        json(202, await startDeployment(deps, actorOf(event), params.name, body)),
      GetDeployment: async ({ params }) => ok(await getDeployment(deps, params.name, params.deploymentId)),
      ListDeployments: async ({ params, query }) => ok(await listDeployments(deps, params.name, query)),
      ListEndpoints: async ({ query }) => ok(await listEndpoints(deps, query)),
    },
    (fn, route) => {
      if (!deps.idempotency) return fn;
      const status = route.response.status;
      if (route.id !== 'StartDeployment') return withIdempotency(fn, deps.idempotency, status);
      return withIdempotency(fn, deps.idempotency, status, async (stored) =>
        json(202, await completeStart(deps, JSON.parse(stored.body as string))),
      );
    },
  );
}

/** The registry's ApprovalDecided event (its detail the decision's audit record), as the rule delivers it. */
export interface ApprovalDecidedEvent {
  readonly 'detail-type': string;
  readonly detail: { readonly modelName: string; readonly after: { readonly approvalId: string } };
}

const isApprovalEvent = (event: unknown): event is ApprovalDecidedEvent =>
  typeof event === 'object' && event !== null && 'detail-type' in event;

/**
 * Starts the rollout an approved request stood for (the `OnRolloutApproved` rule). A failure is
 * thrown, so EventBridge retries the delivery; a redelivery finds the rollout started and starts
 * no second one.
 */
export async function onApprovalDecided(
  deps: DeploymentHandlerDeps,
  event: ApprovalDecidedEvent,
): Promise<ApprovedRolloutResult> {
  const { modelName, after } = event.detail;
  const outcome = await startApprovedRollout(deps, modelName, after.approvalId);
  if (outcome?.started) {
    const { deploymentId } = outcome.started;
    logger.info('approved rollout started', { modelName, deploymentId });
    return { deploymentId };
  }
  if (outcome?.startFailed) {
    const { id, startFailure } = outcome.startFailed;
    logger.warn('approved rollout refused at its start', { modelName, approvalId: id, startFailure });
    return { startFailed: startFailure?.code ?? outcome.startFailed.status };
  }
  return {};
}

/** What the approval rule's invocation answers: the rollout started, or the refusal recorded. */
export interface ApprovedRolloutResult {
  readonly deploymentId?: string;
  readonly startFailed?: string;
}

let cachedDeps: DeploymentHandlerDeps | undefined;
let cached: ReturnType<typeof makeHandler> | undefined;

/**
 * The Lambda entry point: the routes, and the approval rule's events. Ports are built on first
 * use and reused by the container.
 */
export function handler(event: HttpEvent, context: Context): Promise<HttpResult>;
export function handler(event: ApprovalDecidedEvent, context: Context): Promise<ApprovedRolloutResult>;
export function handler(
  event: HttpEvent | ApprovalDecidedEvent,
  context: Context,
): Promise<HttpResult | ApprovedRolloutResult> {
  cachedDeps ??= apiDeps();
  if (isApprovalEvent(event)) return onApprovalDecided(cachedDeps, event);
  cached ??= makeHandler(cachedDeps);
  return cached(event, context);
}
