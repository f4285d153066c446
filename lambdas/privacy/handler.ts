/**
 * The privacy Lambda: `POST /privacy/erasures` records the erasure and its tombstones and starts
 * its run (202), `GET /privacy/erasures/{erasureId}` reports it. The router parses each request
 * with the route's contract schemas; errors render as `{"error":{...}}` in the router.
 */
import type { Context } from 'aws-lambda';
import { PRIVACY_ROUTES } from '../../contracts/privacy-routes';
import { actorOf, type HttpEvent, type HttpResult, json, ok } from '../shared/http';
import { withIdempotency } from '../shared/idempotency';
import { makeRouter } from '../shared/router';
import { defaultDeps, type PrivacyHandlerDeps } from './deps';
import { getErasure, requestErasure } from './domain/erasures';

/** Builds the handler over the given ports: tests pass their own, Lambda uses `defaultDeps()`. */
export function makeHandler(deps: PrivacyHandlerDeps) {
  const route = makeRouter(
    PRIVACY_ROUTES,
    {
      CreateErasure: async ({ event, body }) => {
        const erasure = await requestErasure(deps, actorOf(event), body);
        // The tombstones stand from here on; a launch that fails leaves the erasure PENDING, and
        // the retried request (same Idempotency-Key) gets this answer, so launch before answering.
        await deps.launcher.launch(erasure.erasureId);
        return json(202, erasure);
      },
      GetErasure: async ({ params }) => ok(await getErasure(deps, params.erasureId)),
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
