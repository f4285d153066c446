/**
 * The experiments Lambda: `/experiments` routes (create, read, start, stop, conclude, outcomes,
 * results and the HTML report). The router parses each request with the route's contract schemas;
 * errors render as `{"error":{...}}` in the router.
 */
import type { Context } from 'aws-lambda';
import { EXPERIMENTS_ROUTES } from '../../contracts/experiments-routes';
import { actorOf, created, type HttpEvent, type HttpResult, json, ok } from '../shared/http';
import { withIdempotency } from '../shared/idempotency';
import { makeRouter } from '../shared/router';
import { defaultDeps, type ExperimentsHandlerDeps } from './deps';
import {
  concludeExperiment,
  createExperiment,
  getExperiment,
  ingestOutcomes,
  listExperiments,
  startExperiment,
  stopExperiment,
} from './domain/experiments';
import { experimentReport, experimentResults } from './domain/results';

/** Builds the handler over the given ports: tests pass their own, Lambda uses `defaultDeps()`. */
export function makeHandler(deps: ExperimentsHandlerDeps) {
  const route = makeRouter(
    EXPERIMENTS_ROUTES,
    {
      CreateExperiment: async ({ event, body }) =>
        created(await createExperiment(deps, actorOf(event), body)),
      ListExperiments: async ({ query }) => ok(await listExperiments(deps, query)),
      GetExperiment: async ({ params }) => ok(await getExperiment(deps, params.name)),
      StartExperiment: async ({ event, params }) =>
        ok(await startExperiment(deps, actorOf(event), params.name)),
      StopExperiment: async ({ event, params, body }) =>
        ok(await stopExperiment(deps, actorOf(event), params.name, body?.reason ?? 'stopped by request')),
      ConcludeExperiment: async ({ event, params, body }) => {
        const { experiment, approval } = await concludeExperiment(deps, actorOf(event), params.name, body);
        return approval ? json(202, { ...experiment, approval }) : ok(experiment);
      },
      RecordOutcomes: async ({ params, body }) => ok(await ingestOutcomes(deps, params.name, body)),
      GetExperimentResults: async ({ params }) => ok(await experimentResults(deps, params.name)),
      GetExperimentReport: async ({ params }) => ({
        statusCode: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: await experimentReport(deps, params.name),
      }),
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
