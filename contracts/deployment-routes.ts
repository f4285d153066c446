/**
 * The rollout routes with the schemas the router parses each request with.
 * @see ./routes.ts for what each field means
 */
import * as z from 'zod';
import { DeploymentId, ListPageQuery, StartDeploymentRequest } from './deployment';
import { lazySchema } from './lazy-schema';
import { ModelName } from './model-names';
import type { RouteDeclaration } from './routes';

export const DEPLOYMENT_ROUTES = [
  {
    id: 'StartDeployment',
    method: 'POST',
    path: '/models/{name}/deployments',
    function: 'deployment',
    summary:
      'Roll out a READY version to the endpoint as a canary (409 while another rollout runs); a model that asks for sign-off answers with the approval request the rollout waits on',
    params: lazySchema(() => z.object({ name: ModelName })),
    body: StartDeploymentRequest,
    response: { status: 202 },
  },
  {
    id: 'GetDeployment',
    method: 'GET',
    path: '/models/{name}/deployments/{deploymentId}',
    function: 'deployment',
    summary: 'A rollout: status, phase, weights, and the alarm or reason when rolled back',
    params: lazySchema(() => z.object({ name: ModelName, deploymentId: DeploymentId })),
    response: { status: 200 },
  },
  {
    id: 'ListDeployments',
    method: 'GET',
    path: '/models/{name}/deployments',
    function: 'deployment',
    summary: "A model's rollouts, newest first",
    params: lazySchema(() => z.object({ name: ModelName })),
    query: ListPageQuery,
    response: { status: 200 },
  },
  {
    id: 'ListEndpoints',
    method: 'GET',
    path: '/endpoints',
    function: 'deployment',
    summary:
      'Every configured endpoint as it serves now: backend, status, variants (version, weight, instances), the running rollout',
    query: ListPageQuery,
    response: { status: 200 },
  },
] as const satisfies readonly RouteDeclaration[];
