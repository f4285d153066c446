/**
 * The monitoring Lambda: every `/monitoring` route. Each route parses with a contract schema,
 * calls one use case and shapes the reply; errors render as `{"error":{...}}` in the router.
 */
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import {
  BuildProfileRequest,
  DriftCheckRequest,
  GroundTruthRequest,
  ListReportsQuery,
  monitoringKeys,
  QualityReportRequest,
} from '../../contracts/monitoring';
import { ModelName, VersionNumber } from '../../contracts/registry';
import { NotFoundError } from '../shared/errors';
import {
  created,
  type HttpEvent,
  type HttpResult,
  jsonBody,
  ok,
  parseWith,
  principalOf,
} from '../shared/http';
import { makeRouter } from '../shared/router';
import { defaultDeps } from './deps';
import { onDemandDrift } from './domain/drift-checks';
import type { MonitoringDeps } from './domain/ports';
import { describeProfile } from './domain/profile';
import { createReferenceProfile, loadReferenceProfile } from './domain/profiles';
import { postGroundTruth, qualityReport } from './domain/quality-checks';
import { runScheduledCheck } from './domain/scheduled-checks';

const ReportId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a report id');
const nameOf = (e: HttpEvent) => parseWith(ModelName, e.pathParameters?.name, 'path.name');
const versionOf = (e: HttpEvent) => parseWith(VersionNumber, e.pathParameters?.version, 'path.version');
const reportIdOf = (e: HttpEvent) => parseWith(ReportId, e.pathParameters?.reportId, 'path.reportId');

/** Builds the handler over the given ports: tests pass their own, Lambda uses `defaultDeps()`. */
export function makeHandler(deps: MonitoringDeps) {
  const readReport = async (e: HttpEvent, ext: 'json' | 'html') => {
    const name = nameOf(e);
    const reportId = reportIdOf(e);
    const bytes = await deps.objects.getBytes(monitoringKeys.report(name, reportId, ext));
    if (!bytes) {
      throw new NotFoundError(
        'REPORT_NOT_FOUND',
        `model ${name} has no ${ext === 'html' ? 'HTML ' : ''}report ${reportId}`,
      );
    }
    return Buffer.from(bytes).toString('utf8');
  };
  const route = makeRouter({
    CreateReferenceProfile: async (e) =>
      created(
        await createReferenceProfile(
          deps,
          principalOf(e),
          nameOf(e),
          versionOf(e),
          parseWith(BuildProfileRequest, jsonBody(e), 'body'),
        ),
      ),
    GetReferenceProfile: async (e) => {
      const { uri, profile } = await loadReferenceProfile(deps, nameOf(e), versionOf(e));
      return ok({ uri, profile: describeProfile(profile) });
    },
    CheckDrift: async (e) =>
      created(await onDemandDrift(deps, parseWith(DriftCheckRequest, jsonBody(e), 'body'))),
    RunMonitoringCheck: async (e) => ok(await runScheduledCheck(deps, nameOf(e))),
    ListMonitoringReports: async (e) =>
      ok(
        await deps.store.listReports(
          nameOf(e),
          parseWith(ListReportsQuery, e.queryStringParameters ?? {}, 'query'),
        ),
      ),
    GetMonitoringReport: async (e): Promise<HttpResult> => ({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: await readReport(e, 'json'),
    }),
    GetMonitoringReportHtml: async (e): Promise<HttpResult> => ({
      statusCode: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: await readReport(e, 'html'),
    }),
    PostGroundTruth: async (e) =>
      ok(await postGroundTruth(deps, nameOf(e), parseWith(GroundTruthRequest, jsonBody(e), 'body'))),
    CreateQualityReport: async (e) =>
      created(await qualityReport(deps, nameOf(e), parseWith(QualityReportRequest, jsonBody(e), 'body'))),
  });
  return (event: HttpEvent, context: Context): Promise<HttpResult> => route(event, context);
}

let cached: ReturnType<typeof makeHandler> | undefined;

/** The Lambda entry point; its ports are built on first use and reused by the container. */
export const handler = (event: HttpEvent, context: Context): Promise<HttpResult> => {
  cached ??= makeHandler(defaultDeps());
  return cached(event, context);
};
