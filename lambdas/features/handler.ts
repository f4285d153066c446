/**
 * The feature store Lambda: feature view routes, push, Feast's get-online-features, range
 * materialization and training-set jobs. Each route parses with a contract schema, calls one
 * domain function and shapes the reply; errors render as `{"error":{...}}` in the router.
 */
import type { Context } from 'aws-lambda';
import {
  CreateFeatureViewRequest,
  FeatureViewName,
  GetOnlineFeaturesRequest,
  ListFeatureViewsQuery,
  MaterializeRequest,
  PushRequest,
  TrainingSetRequest,
  UpdateFeatureViewRequest,
} from '../../contracts/features';
import {
  actorOf,
  created,
  type HttpEvent,
  type HttpResult,
  jsonBody,
  noContent,
  ok,
  parseWith,
} from '../shared/http';
import { withIdempotency } from '../shared/idempotency';
import { makeRouter } from '../shared/router';
import { CachedViewReader } from './adapters/cached-view-reader';
import { defaultDeps, type FeaturesHandlerDeps } from './deps';
import { materializeRange, pushRows } from './domain/ingest';
import { getOnlineFeatures } from './domain/lookup';
import { createTrainingSet, TrainingSetJobNotFoundError } from './domain/training-sets';
import * as views from './domain/views';

const nameOf = (e: HttpEvent) => parseWith(FeatureViewName, e.pathParameters?.name, 'path.name');

/** Builds the handler over the given ports: tests pass their own, Lambda uses `defaultDeps()`. */
export function makeHandler(deps: FeaturesHandlerDeps) {
  const lookupDeps = { ...deps, views: new CachedViewReader(deps.views) };
  const route = makeRouter(
    {
      CreateFeatureView: async (e) =>
        created(
          await views.createFeatureView(
            deps,
            actorOf(e),
            parseWith(CreateFeatureViewRequest, jsonBody(e), 'body'),
          ),
        ),
      ListFeatureViews: async (e) =>
        ok(
          await views.listFeatureViews(
            deps,
            parseWith(ListFeatureViewsQuery, e.queryStringParameters ?? {}, 'query'),
          ),
        ),
      GetFeatureView: async (e) => ok(await views.getFeatureView(deps, nameOf(e))),
      UpdateFeatureView: async (e) =>
        ok(
          await views.updateFeatureView(
            deps,
            actorOf(e),
            nameOf(e),
            parseWith(UpdateFeatureViewRequest, jsonBody(e), 'body'),
          ),
        ),
      DeleteFeatureView: async (e) => {
        await views.deleteFeatureView(deps, actorOf(e), nameOf(e));
        return noContent();
      },
      PushFeatures: async (e) => ok(await pushRows(deps, parseWith(PushRequest, jsonBody(e), 'body'))),
      GetOnlineFeatures: async (e) =>
        ok(await getOnlineFeatures(lookupDeps, parseWith(GetOnlineFeaturesRequest, jsonBody(e), 'body'))),
      MaterializeFeatureView: async (e) => {
        const { start, end } = parseWith(MaterializeRequest, jsonBody(e), 'body');
        return ok(await materializeRange(deps, nameOf(e), Date.parse(start), Date.parse(end)));
      },
      CreateTrainingSet: async (e) =>
        json202(await createTrainingSet(deps, parseWith(TrainingSetRequest, jsonBody(e), 'body'))),
      GetTrainingSet: async (e) => {
        const jobId = e.pathParameters?.jobId ?? '';
        const job = /^[0-9a-f-]{36}$/.test(jobId) ? await deps.jobs.getJob(jobId) : undefined;
        if (!job) throw new TrainingSetJobNotFoundError(jobId);
        return ok(job);
      },
    },
    (fn) => (deps.idempotency ? withIdempotency(fn, deps.idempotency) : fn),
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
