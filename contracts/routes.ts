/**
 * The HTTP route table: read by the CDK API construct (one API Gateway route each, IAM auth), by
 * the local server (same matching, same handler), by the OpenAPI document and by the README. A route's `id` is also its CDK
 * construct id and its OpenAPI operationId, so renaming one replaces the route.
 *
 * Each capability declares its routes beside its schemas (`contracts/<capability>-routes.ts`);
 * this file joins them into the one table. A capability's handler routes with its own table
 * (`<CAPABILITY>_ROUTES`), so its bundle holds no other capability's schemas.
 */
import { BATCH_PREDICTIONS_ROUTES } from './batch-predictions-routes';
import { DEPLOYMENT_ROUTES } from './deployment-routes';
import { EXPERIMENTS_ROUTES } from './experiments-routes';
import { FEATURES_ROUTES } from './features-routes';
import { LLM_ROUTES } from './llm-routes';
import { MONITORING_ROUTES } from './monitoring-routes';
import { PIPELINE_ROUTES } from './pipeline-routes';
import { PRIVACY_ROUTES } from './privacy-routes';
import { REGISTRY_ROUTES } from './registry-routes';
import type { RouteDeclaration } from './route-declaration';
import { SERVING_ROUTES } from './serving-routes';
import { TRACKING_ROUTES } from './tracking-routes';

export * from './route-declaration';

export const ROUTES = [
  ...REGISTRY_ROUTES,
  ...DEPLOYMENT_ROUTES,
  ...FEATURES_ROUTES,
  ...MONITORING_ROUTES,
  ...SERVING_ROUTES,
  ...PIPELINE_ROUTES,
  ...PRIVACY_ROUTES,
  ...TRACKING_ROUTES,
  ...EXPERIMENTS_ROUTES,
  ...BATCH_PREDICTIONS_ROUTES,
  ...LLM_ROUTES,
] as const satisfies readonly RouteDeclaration[];

export type RouteId = (typeof ROUTES)[number]['id'];
