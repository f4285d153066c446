/**
 * What each deployment route answers, by route id: the reply schemas of the API document
 * (`routes.ts` joins them to the routes). Apart from `deployment-routes.ts`, whose schemas the router
 * parses requests with, so a handler's cold start builds no reply schema.
 */

import * as z from 'zod';
import { ApprovalPendingResponse } from './approval-responses';
import {
  DeploymentResponse,
  DeploymentStatusResponse,
  EndpointSummaryResponse,
} from './deployment-responses';
import type { DEPLOYMENT_ROUTES } from './deployment-routes';
import { lazySchema } from './lazy-schema';
import { page } from './pages';
import type { RouteReplies } from './route-declaration';

export const DEPLOYMENT_REPLIES = {
  StartDeployment: { response: lazySchema(() => z.union([DeploymentResponse, ApprovalPendingResponse])) },
  GetDeployment: { response: DeploymentStatusResponse },
  ListDeployments: { response: lazySchema(() => page(DeploymentResponse)) },
  ListEndpoints: { response: lazySchema(() => page(EndpointSummaryResponse)) },
} as const satisfies RouteReplies<typeof DEPLOYMENT_ROUTES>;
