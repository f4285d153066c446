/**
 * The rollout routes: `POST /models/{name}/deployments` starts a canary rollout of a version
 * (202), `GET /models/{name}/deployments/{deploymentId}` reports it.
 */
import type { Context } from 'aws-lambda';
import { DeploymentId, StartDeploymentRequest } from '../../contracts/deployment';
import { ModelName } from '../../contracts/registry';
import { type HttpEvent, type HttpResult, json, jsonBody, ok, parseWith, principalOf } from '../shared/http';
import { withIdempotency } from '../shared/idempotency';
import { makeRouter } from '../shared/router';
import { apiDeps, type DeploymentHandlerDeps } from './deps';
import { getDeployment, startDeployment } from './domain/api';

const nameOf = (e: HttpEvent) => parseWith(ModelName, e.pathParameters?.name, 'path.name');

/** Builds the handler over the given ports: tests pass their own, Lambda uses `apiDeps()`. */
export function makeHandler(deps: DeploymentHandlerDeps) {
  return makeRouter(
    {
      StartDeployment: async (e) =>
        json(
          202,
          await startDeployment(
            deps,
            { principal: principalOf(e) },
            nameOf(e),
            parseWith(StartDeploymentRequest, jsonBody(e), 'body'),
          ),
        ),
      GetDeployment: async (e) =>
        ok(
          await getDeployment(
            deps,
            nameOf(e),
            parseWith(DeploymentId, e.pathParameters?.deploymentId, 'path.deploymentId'),
          ),
        ),
    },
    (fn) => (deps.idempotency ? withIdempotency(fn, deps.idempotency) : fn),
  );
}

let cached: ReturnType<typeof makeHandler> | undefined;

/** The Lambda entry point; its ports are built on first use and reused by the container. */
export const handler = (event: HttpEvent, context: Context): Promise<HttpResult> => {
  cached ??= makeHandler(apiDeps());
  return cached(event, context);
};
