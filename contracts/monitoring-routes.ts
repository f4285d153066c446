/**
 * The monitoring routes (`/monitoring`) with the schemas the router parses each request with.
 * @see ./routes.ts for what each field means
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';
import { ModelName, VersionNumber } from './model-names';
import {
  BuildProfileRequest,
  DriftCheckRequest,
  GroundTruthRequest,
  ListReportsQuery,
  QualityReportRequest,
  ReportId,
} from './monitoring';
import type { RouteDeclaration } from './routes';

const ModelPath = lazySchema(() => z.object({ name: ModelName }));
const VersionPath = lazySchema(() => z.object({ name: ModelName, version: VersionNumber }));
const ReportPath = lazySchema(() => z.object({ name: ModelName, reportId: ReportId }));

export const MONITORING_ROUTES = [
  {
    id: 'CreateReferenceProfile',
    method: 'POST',
    path: '/monitoring/models/{name}/versions/{version}/reference-profile',
    function: 'monitoring',
    summary: "Profile the version's training data (CSV, Parquet, JSON) and link it from the version",
    params: VersionPath,
    body: BuildProfileRequest,
    response: { status: 201 },
  },
  {
    id: 'GetReferenceProfile',
    method: 'GET',
    path: '/monitoring/models/{name}/versions/{version}/reference-profile',
    function: 'monitoring',
    summary: "The version's reference profile (without its samples)",
    params: VersionPath,
    response: { status: 200 },
  },
  {
    id: 'CheckDrift',
    method: 'POST',
    path: '/monitoring/drift-reports',
    function: 'monitoring',
    summary: 'On-demand drift: reference and current data (inline or S3) in, stored report out',
    body: DriftCheckRequest,
    response: { status: 201 },
  },
  {
    id: 'RunMonitoringCheck',
    method: 'POST',
    path: '/monitoring/models/{name}/checks',
    function: 'monitoring',
    summary: "Run the model's scheduled drift check now, over the capture since the last one",
    params: ModelPath,
    body: false,
    response: { status: 200 },
  },
  {
    id: 'ListMonitoringReports',
    method: 'GET',
    path: '/monitoring/models/{name}/reports',
    function: 'monitoring',
    summary: "A model's drift and quality reports, newest first",
    params: ModelPath,
    query: ListReportsQuery,
    response: { status: 200 },
  },
  {
    id: 'GetMonitoringReport',
    method: 'GET',
    path: '/monitoring/models/{name}/reports/{reportId}',
    function: 'monitoring',
    summary: 'A report as JSON',
    params: ReportPath,
    response: { status: 200 },
  },
  {
    id: 'GetMonitoringReportHtml',
    method: 'GET',
    path: '/monitoring/models/{name}/reports/{reportId}/html',
    function: 'monitoring',
    summary: 'A drift report as a self-contained HTML page',
    params: ReportPath,
    response: { status: 200, contentType: 'text/html' },
  },
  {
    id: 'PostGroundTruth',
    method: 'POST',
    path: '/monitoring/models/{name}/ground-truth',
    function: 'monitoring',
    summary: 'Ground-truth labels by capture inference id',
    params: ModelPath,
    body: GroundTruthRequest,
    response: { status: 200 },
  },
  {
    id: 'CreateQualityReport',
    method: 'POST',
    path: '/monitoring/models/{name}/quality-reports',
    function: 'monitoring',
    summary: 'Quality over a capture window joined with labels, against the registered baseline',
    params: ModelPath,
    body: QualityReportRequest,
    response: { status: 201 },
  },
] as const satisfies readonly RouteDeclaration[];
