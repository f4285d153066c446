/**
 * The HTTP route table: read by the CDK API construct (one API Gateway route each, IAM auth), by
 * the local server (same matching, same handler), by the OpenAPI document and by the README. A route's `id` is also its CDK
 * construct id and its OpenAPI operationId, so renaming one replaces the route.
 *
 * Each capability declares its routes beside its schemas (`contracts/<capability>-routes.ts`)
 * and what they answer apart (`contracts/<capability>-replies.ts`); this file joins them into the
 * one table. A capability's handler routes with its own table (`<CAPABILITY>_ROUTES`), so its
 * bundle holds no other capability's schemas and no reply schema.
 */
import type * as z from 'zod';
import { BATCH_PREDICTIONS_REPLIES } from './batch-predictions-replies';
import { BATCH_PREDICTIONS_ROUTES } from './batch-predictions-routes';
import { DEPLOYMENT_REPLIES } from './deployment-replies';
import { DEPLOYMENT_ROUTES } from './deployment-routes';
import { EXPERIMENTS_REPLIES } from './experiments-replies';
import { EXPERIMENTS_ROUTES } from './experiments-routes';
import { FEATURES_REPLIES } from './features-replies';
import { FEATURES_ROUTES } from './features-routes';
import { LLM_REPLIES } from './llm-replies';
import { LLM_ROUTES } from './llm-routes';
import { MONITORING_REPLIES } from './monitoring-replies';
import { MONITORING_ROUTES } from './monitoring-routes';
import { PIPELINE_REPLIES } from './pipeline-replies';
import { PIPELINE_ROUTES } from './pipeline-routes';
import { PRIVACY_REPLIES } from './privacy-replies';
import { PRIVACY_ROUTES } from './privacy-routes';
import { REGISTRY_REPLIES } from './registry-replies';
import { REGISTRY_ROUTES } from './registry-routes';
import type { RouteDeclaration, RouteReplies } from './route-declaration';
import { SERVING_REPLIES } from './serving-replies';
import { SERVING_ROUTES } from './serving-routes';
import { TRACKING_REPLIES } from './tracking-replies';
import { TRACKING_ROUTES } from './tracking-routes';

export * from './route-declaration';

/**
 * The routes of a capability's table with their reply schemas (`schema` of `response` and of
 * `accepted`) from its replies: the whole declaration the API document and the CDK API read.
 */
function withReplies<const T extends readonly RouteDeclaration[]>(routes: T, replies: RouteReplies<T>): T {
  const byId = replies as Record<string, { response?: z.ZodType; accepted?: z.ZodType }>;
  return routes.map((route) => {
    const reply = byId[route.id];
    if (!reply) throw new Error(`route ${route.id} has no entry in its capability's replies`);
    return {
      ...route,
      response: reply.response ? { ...route.response, schema: reply.response } : route.response,
      ...(route.accepted && reply.accepted
        ? { accepted: { ...route.accepted, schema: reply.accepted } }
        : {}),
    };
  }) as readonly RouteDeclaration[] as T;
}

export const ROUTES = [
  ...withReplies(REGISTRY_ROUTES, REGISTRY_REPLIES),
  ...withReplies(DEPLOYMENT_ROUTES, DEPLOYMENT_REPLIES),
  ...withReplies(FEATURES_ROUTES, FEATURES_REPLIES),
  ...withReplies(MONITORING_ROUTES, MONITORING_REPLIES),
  ...withReplies(SERVING_ROUTES, SERVING_REPLIES),
  ...withReplies(PIPELINE_ROUTES, PIPELINE_REPLIES),
  ...withReplies(PRIVACY_ROUTES, PRIVACY_REPLIES),
  ...withReplies(TRACKING_ROUTES, TRACKING_REPLIES),
  ...withReplies(EXPERIMENTS_ROUTES, EXPERIMENTS_REPLIES),
  ...withReplies(BATCH_PREDICTIONS_ROUTES, BATCH_PREDICTIONS_REPLIES),
  ...withReplies(LLM_ROUTES, LLM_REPLIES),
] as const satisfies readonly RouteDeclaration[];

export type RouteId = (typeof ROUTES)[number]['id'];
