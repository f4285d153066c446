/**
 * The monitoring Lambda: every `/monitoring` route. The router parses each request with its
 * route's contract schemas; each route calls one use case and shapes the reply; errors render as
 * `{"error":{...}}` in the router.
 */

import type { Context } from 'aws-lambda';
import { monitoringKeys } from '../../contracts/monitoring-names';
import { MONITORING_ROUTES } from '../../contracts/monitoring-routes';
import { NotFoundError } from '../shared/errors';
import { actorOf, created, type HttpEvent, type HttpResult, ok } from '../shared/http';
import { withIdempotency } from '../shared/idempotency';
import { makeRouter } from '../shared/router';
import { defaultDeps, experimentsFromEnv, idempotencyFromEnv, type MonitoringHandlerDeps } from './deps';
import { onDemandDrift } from './domain/drift-checks';
import { describeProfile } from './domain/profile';
import { createReferenceProfile, loadReferenceProfile } from './domain/profiles';
import { postGroundTruth, qualityReport } from './domain/quality-checks';
import { runScheduledCheck } from './domain/scheduled-checks';

/** Builds the handler over the given ports: tests pass their own, Lambda uses `defaultDeps()`. */
export function makeHandler(deps: MonitoringHandlerDeps) {
  const readReport = async ({ name, reportId }: { name: string; reportId: string }, ext: 'json' | 'html') => {
    const bytes = await deps.objects.getBytes(monitoringKeys.report(name, reportId, ext));
    if (!bytes) {
      throw new NotFoundError(
        'REPORT_NOT_FOUND',
        `model ${name} has no ${ext === 'html' ? 'HTML ' : ''}report ${reportId}`,
      );
    }
    return Buffer.from(bytes).toString('utf8');
  };
  const route = makeRouter(
    MONITORING_ROUTES,
    {
      CreateReferenceProfile: async ({ event, params, body }) =>
        created(await createReferenceProfile(deps, actorOf(event), params.name, params.version, body)),
      GetReferenceProfile: async ({ params }) => {
        const { uri, profile } = await loadReferenceProfile(deps, params.name, params.version);
        return ok({ uri, profile: describeProfile(profile) });
      },
      CheckDrift: async ({ body }) => created(await onDemandDrift(deps, body)),
      RunMonitoringCheck: async ({ params }) => ok(await runScheduledCheck(deps, params.name)),
      ListMonitoringReports: async ({ params, query }) =>
        ok(await deps.store.listReports(params.name, query)),
      GetMonitoringReport: async ({ params }): Promise<HttpResult> => ({
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: await readReport(params, 'json'),
      }),
      GetMonitoringReportHtml: async ({ params }): Promise<HttpResult> => ({
        statusCode: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: await readReport(params, 'html'),
      }),
      PostGroundTruth: async ({ params, body }) => ok(await postGroundTruth(deps, params.name, body)),
      CreateQualityReport: async ({ params, body }) => created(await qualityReport(deps, params.name, body)),
    },
    (fn, route) => (deps.idempotency ? withIdempotency(fn, deps.idempotency, route.response.status) : fn),
  );
  return (event: HttpEvent, context: Context): Promise<HttpResult> => route(event, context);
}

let cached: ReturnType<typeof makeHandler> | undefined;

/** The Lambda entry point; its ports are built on first use and reused by the container. */
export const handler = (event: HttpEvent, context: Context): Promise<HttpResult> => {
  cached ??= makeHandler({ ...defaultDeps(), ...idempotencyFromEnv(), ...experimentsFromEnv() });
  return cached(event, context);
};
