/**
 * The batch predictions API: `POST /batch-predictions` validates the job against the registry,
 * records it and starts its run (202); `GET` reports it, lists a model's jobs; cancel and resume
 * change its status under a condition on the one they replace. The router parses each request
 * with the route's contract schemas; errors render as `{"error":{...}}` in the router.
 */
import type { Context } from 'aws-lambda';
import { BATCH_PREDICTIONS_ROUTES } from '../../contracts/batch-predictions-routes';
import { actorOf, type HttpEvent, type HttpResult, json, ok } from '../shared/http';
import { withIdempotency } from '../shared/idempotency';
import { makeRouter } from '../shared/router';
import { type BatchHandlerDeps, defaultDeps } from './deps';
import { cancelJob, getJob, jobInput, listJobs, publicJob, resumeJob, submitJob } from './domain/jobs';
import { listJobOutput } from './domain/outputs';
import { presignInputUpload } from './domain/uploads';

/** Builds the handler over the given ports: tests pass their own, Lambda uses `defaultDeps()`. */
export function makeHandler(deps: BatchHandlerDeps) {
  const route = makeRouter(
    BATCH_PREDICTIONS_ROUTES,
    {
      CreateBatchPrediction: async ({ event, body }) => {
        const job = await submitJob(deps, actorOf(event), body);
        // The record stands from here on; a start that fails leaves the job SUBMITTED and the
        // retried request (same Idempotency-Key) gets this answer, so start before answering.
        await deps.launcher.start(jobInput(job));
        return json(202, publicJob(job));
      },
      CreateBatchUpload: async ({ body }) => ok(await presignInputUpload(deps.uploads, body)),
      GetBatchPrediction: async ({ params }) => ok(publicJob(await getJob(deps, params.jobId))),
      ListBatchPredictionOutput: async ({ params, query }) =>
        ok(await listJobOutput(deps, params.jobId, query)),
      ListModelBatchPredictions: async ({ params, query }) =>
        ok(await listJobs(deps, params.name, query.limit, query.nextToken)),
      CancelBatchPrediction: async ({ event, params }) =>
        json(202, publicJob(await cancelJob(deps, actorOf(event), params.jobId))),
      ResumeBatchPrediction: async ({ event, params }) =>
        json(202, publicJob(await resumeJob(deps, actorOf(event), params.jobId))),
    },
    (fn, route) => (deps.idempotency ? withIdempotency(fn, deps.idempotency, route.response.status) : fn),
  );
  return (event: HttpEvent, context: Context): Promise<HttpResult> => route(event, context);
}

let cached: ReturnType<typeof makeHandler> | undefined;

/** The Lambda entry point; its ports are built on first use and reused by the container. */
export const handler = (event: HttpEvent, context: Context): Promise<HttpResult> => {
  cached ??= makeHandler(defaultDeps());
  return cached(event, context);
};
