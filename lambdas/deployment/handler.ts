/**
 * The rollout routes: `POST /models/{name}/deployments` starts a canary rollout of a version
 * (202), `GET /models/{name}/deployments/{deploymentId}` reports it; the inventory routes list a
 * model's rollouts (`GET /models/{name}/deployments`) and every endpoint (`GET /endpoints`).
 */

import type { Context } from 'aws-lambda';
import { DEPLOYMENT_ROUTES } from '../../contracts/deployment-routes';
import { type HttpEvent, type HttpResult, json, ok, principalOf } from '../shared/http';
import { withIdempotency } from '../shared/idempotency';
import { makeRouter } from '../shared/router';
import { apiDeps, type DeploymentHandlerDeps } from './deps';
import { completeStart, getDeployment, startDeployment } from './domain/api';
import { listDeployments, listEndpoints } from './domain/inventory';

/** Builds the handler over the given ports: tests pass their own, Lambda uses `apiDeps()`. */
export function makeHandler(deps: DeploymentHandlerDeps) {
  return makeRouter(
    DEPLOYMENT_ROUTES,
    {
      StartDeployment: async ({ event, params, body }) =>
        json(202, await startDeployment(deps, { principal: principalOf(event) }, params.name, body)),
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

let cached: ReturnType<typeof makeHandler> | undefined;

/** The Lambda entry point; its ports are built on first use and reused by the container. */
export const handler = (event: HttpEvent, context: Context): Promise<HttpResult> => {
  cached ??= makeHandler(apiDeps());
  return cached(event, context);
};
