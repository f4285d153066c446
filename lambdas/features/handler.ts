/**
 * The feature store Lambda: feature view routes and their freshness, push, Feast's
 * get-online-features, range materialization (which reports the view's freshness metric, as the
 * scheduled materializer does) and training-set jobs. The router parses each request with its
 * route's contract schemas; each route calls one domain function and shapes the reply; errors
 * render as `{"error":{...}}` in the router.
 */

import type { Context } from 'aws-lambda';
import { FEATURES_ROUTES } from '../../contracts/features-routes';
import { actorOf, created, type HttpEvent, type HttpResult, noContent, ok } from '../shared/http';
import { withIdempotency } from '../shared/idempotency';
import { logger } from '../shared/logger';
import { makeRouter } from '../shared/router';
import { CachedViewReader } from './adapters/cached-view-reader';
import { defaultDeps, type FeaturesHandlerDeps } from './deps';
import { featureViewFreshness } from './domain/freshness';
import { materializeRange, pushRows } from './domain/ingest';
import { getOnlineFeatures } from './domain/lookup';
import { createTrainingSet, TrainingSetJobNotFoundError } from './domain/training-sets';
import * as views from './domain/views';
import { reportFreshness } from './freshness-metric';

/** Builds the handler over the given ports: tests pass their own, Lambda uses `defaultDeps()`. */
export function makeHandler(deps: FeaturesHandlerDeps) {
  const lookupDeps = { ...deps, views: new CachedViewReader(deps.views) };
  const route = makeRouter(
    FEATURES_ROUTES,
    {
      CreateFeatureView: async ({ event, body }) =>
        created(await views.createFeatureView(deps, actorOf(event), body)),
      ListFeatureViews: async ({ query }) => ok(await views.listFeatureViews(deps, query)),
      GetFeatureView: async ({ params }) => ok(await views.getFeatureView(deps, params.name)),
      UpdateFeatureView: async ({ event, params, body }) =>
        ok(await views.updateFeatureView(deps, actorOf(event), params.name, body)),
      DeleteFeatureView: async ({ event, params }) => {
        await views.deleteFeatureView(deps, actorOf(event), params.name);
        return noContent();
      },
      GetFeatureViewFreshness: async ({ params }) => ok(await featureViewFreshness(deps, params.name)),
      PushFeatures: async ({ body }) => ok(await pushRows(deps, body)),
      GetOnlineFeatures: async ({ body }) => ok(await getOnlineFeatures(lookupDeps, body)),
      MaterializeFeatureView: async ({ params, body }) => {
        const result = await materializeRange(
          deps,
          params.name,
          Date.parse(body.start),
          Date.parse(body.end),
        );
        // As the scheduled materializer does, so a view without a schedule has a freshness graph
        // too; a lost reading is a gap in that graph, never a failed backfill.
        await reportFreshness(deps, params.name, deps.emitMetrics).catch((err: unknown) =>
          logger.warn('feature freshness not reported', {
            featureView: params.name,
            error: err instanceof Error ? err.message : String(err),
          }),
        );
        return ok(result);
      },
      CreateTrainingSet: async ({ body }) => json202(await createTrainingSet(deps, body)),
      GetTrainingSet: async ({ params: { jobId } }) => {
        const job = /^[0-9a-f-]{36}$/.test(jobId) ? await deps.jobs.getJob(jobId) : undefined;
        if (!job) throw new TrainingSetJobNotFoundError(jobId);
        return ok(job);
      },
    },
    (fn, route) => (deps.idempotency ? withIdempotency(fn, deps.idempotency, route.response.status) : fn),
  );
  return (event: HttpEvent, context: Context): Promise<HttpResult> => route(event, context);
}

/** 202 Accepted: the job exists and runs on; poll `GET /training-sets/{jobId}`. */
const json202 = (body: unknown): HttpResult => ({ ...created(body), statusCode: 202 });

let cached: ReturnType<typeof makeHandler> | undefined;

/** The Lambda entry point; its ports are built on first use and reused by the container. */
export const handler = (event: HttpEvent, context: Context): Promise<HttpResult> => {
  cached ??= makeHandler(defaultDeps());
  return cached(event, context);
};
