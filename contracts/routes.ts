/**
 * The HTTP route table: read by the CDK API construct (one API Gateway route each, IAM auth), by
 * the local server (same matching, same handler), and by the README. A route's `id` is also its
 * CDK construct id, so renaming one replaces the route.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The Lambda functions that serve routes; each is one handler module under `lambdas/`. */
export type RouteFunction = 'registry' | 'deployment' | 'features' | 'monitoring' | 'serving' | 'pipeline';

export interface RouteDeclaration {
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway path template, `{param}` for a path parameter. */
  readonly path: string;
  readonly function: RouteFunction;
  readonly summary: string;
}

/** `METHOD /path` exactly as API Gateway puts it in `event.routeKey`. */
export const routeKey = (r: Pick<RouteDeclaration, 'method' | 'path'>): string => `${r.method} ${r.path}`;

export const ROUTES = [
  { id: 'CreateModel', method: 'POST', path: '/models', function: 'registry', summary: 'Create a model' },
  { id: 'ListModels', method: 'GET', path: '/models', function: 'registry', summary: 'List models' },
  { id: 'GetModel', method: 'GET', path: '/models/{name}', function: 'registry', summary: 'Get a model' },
  {
    id: 'UpdateModel',
    method: 'PATCH',
    path: '/models/{name}',
    function: 'registry',
    summary: 'Update a model',
  },
  {
    id: 'DeleteModel',
    method: 'DELETE',
    path: '/models/{name}',
    function: 'registry',
    summary: 'Delete a model',
  },
  {
    id: 'RegisterVersion',
    method: 'POST',
    path: '/models/{name}/versions',
    function: 'registry',
    summary: 'Register a version; returns a presigned artifact upload',
  },
  {
    id: 'ListVersions',
    method: 'GET',
    path: '/models/{name}/versions',
    function: 'registry',
    summary: 'List versions',
  },
  {
    id: 'GetVersion',
    method: 'GET',
    path: '/models/{name}/versions/{version}',
    function: 'registry',
    summary: 'Get a version',
  },
  {
    id: 'UpdateVersion',
    method: 'PATCH',
    path: '/models/{name}/versions/{version}',
    function: 'registry',
    summary: 'Update description, tags or governance evidence',
  },
  {
    id: 'VerifyArtifact',
    method: 'POST',
    path: '/models/{name}/versions/{version}/verify',
    function: 'registry',
    summary: 'Hash the uploaded artifact; READY if it matches the declared sha256, else FAILED',
  },
  {
    id: 'GetArtifact',
    method: 'GET',
    path: '/models/{name}/versions/{version}/artifact',
    function: 'registry',
    summary: 'Presigned download of a READY version',
  },
  {
    id: 'TransitionStage',
    method: 'POST',
    path: '/models/{name}/versions/{version}/stage',
    function: 'registry',
    summary: 'Move a version to None, Staging, Production (governed) or Archived',
  },
  {
    id: 'ListAliases',
    method: 'GET',
    path: '/models/{name}/aliases',
    function: 'registry',
    summary: 'List aliases',
  },
  {
    id: 'SetAlias',
    method: 'PUT',
    path: '/models/{name}/aliases/{alias}',
    function: 'registry',
    summary: 'Point an alias at a version',
  },
  {
    id: 'GetAlias',
    method: 'GET',
    path: '/models/{name}/aliases/{alias}',
    function: 'registry',
    summary: 'Resolve an alias to its version',
  },
  {
    id: 'DeleteAlias',
    method: 'DELETE',
    path: '/models/{name}/aliases/{alias}',
    function: 'registry',
    summary: 'Delete an alias',
  },
  {
    id: 'ListAudit',
    method: 'GET',
    path: '/models/{name}/audit',
    function: 'registry',
    summary: "A model's history, newest first",
  },
  {
    id: 'StartDeployment',
    method: 'POST',
    path: '/models/{name}/deployments',
    function: 'deployment',
    summary: 'Roll out a READY version to the endpoint as a canary (409 while another rollout runs)',
  },
  {
    id: 'GetDeployment',
    method: 'GET',
    path: '/models/{name}/deployments/{deploymentId}',
    function: 'deployment',
    summary: 'A rollout: status, phase, weights, and the alarm or reason when rolled back',
  },
  {
    id: 'CreateFeatureView',
    method: 'POST',
    path: '/feature-views',
    function: 'features',
    summary: 'Create a feature view (409 when the name is taken)',
  },
  {
    id: 'ListFeatureViews',
    method: 'GET',
    path: '/feature-views',
    function: 'features',
    summary: 'List feature views, paginated',
  },
  {
    id: 'GetFeatureView',
    method: 'GET',
    path: '/feature-views/{name}',
    function: 'features',
    summary: 'Get a feature view',
  },
  {
    id: 'UpdateFeatureView',
    method: 'PUT',
    path: '/feature-views/{name}',
    function: 'features',
    summary: 'Replace the definition; compatible changes add a version, others are a 409',
  },
  {
    id: 'DeleteFeatureView',
    method: 'DELETE',
    path: '/feature-views/{name}',
    function: 'features',
    summary: 'Delete a feature view (its offline files stay)',
  },
  {
    id: 'PushFeatures',
    method: 'POST',
    path: '/push',
    function: 'features',
    summary: 'Write a batch of rows online and offline; any bad row refuses the batch (422)',
  },
  {
    id: 'GetOnlineFeatures',
    method: 'POST',
    path: '/get-online-features',
    function: 'features',
    summary: "Latest feature values per entity, in Feast's request and response shape",
  },
  {
    id: 'MaterializeFeatureView',
    method: 'POST',
    path: '/feature-views/{name}/materialize',
    function: 'features',
    summary: 'Offline to online for an event-time range (idempotent)',
  },
  {
    id: 'CreateTrainingSet',
    method: 'POST',
    path: '/training-sets',
    function: 'features',
    summary: 'Start a point-in-time-correct training set job; returns its id',
  },
  {
    id: 'GetTrainingSet',
    method: 'GET',
    path: '/training-sets/{jobId}',
    function: 'features',
    summary: 'A training set job: status, and the Parquet location once SUCCEEDED',
  },
  {
    id: 'CreateReferenceProfile',
    method: 'POST',
    path: '/monitoring/models/{name}/versions/{version}/reference-profile',
    function: 'monitoring',
    summary: "Profile the version's training data (CSV, Parquet, JSON) and link it from the version",
  },
  {
    id: 'GetReferenceProfile',
    method: 'GET',
    path: '/monitoring/models/{name}/versions/{version}/reference-profile',
    function: 'monitoring',
    summary: "The version's reference profile (without its samples)",
  },
  {
    id: 'CheckDrift',
    method: 'POST',
    path: '/monitoring/drift-reports',
    function: 'monitoring',
    summary: 'On-demand drift: reference and current data (inline or S3) in, stored report out',
  },
  {
    id: 'RunMonitoringCheck',
    method: 'POST',
    path: '/monitoring/models/{name}/checks',
    function: 'monitoring',
    summary: "Run the model's scheduled drift check now, over the capture since the last one",
  },
  {
    id: 'ListMonitoringReports',
    method: 'GET',
    path: '/monitoring/models/{name}/reports',
    function: 'monitoring',
    summary: "A model's drift and quality reports, newest first",
  },
  {
    id: 'GetMonitoringReport',
    method: 'GET',
    path: '/monitoring/models/{name}/reports/{reportId}',
    function: 'monitoring',
    summary: 'A report as JSON',
  },
  {
    id: 'GetMonitoringReportHtml',
    method: 'GET',
    path: '/monitoring/models/{name}/reports/{reportId}/html',
    function: 'monitoring',
    summary: 'A drift report as a self-contained HTML page',
  },
  {
    id: 'PostGroundTruth',
    method: 'POST',
    path: '/monitoring/models/{name}/ground-truth',
    function: 'monitoring',
    summary: 'Ground-truth labels by capture inference id',
  },
  {
    id: 'CreateQualityReport',
    method: 'POST',
    path: '/monitoring/models/{name}/quality-reports',
    function: 'monitoring',
    summary: 'Quality over a capture window joined with labels, against the registered baseline',
  },
  {
    id: 'Predict',
    method: 'POST',
    path: '/v2/models/{name}/infer',
    function: 'serving',
    summary:
      "Open Inference Protocol v2 prediction on the model's endpoint; says which version and variant answered",
  },
  {
    id: 'StartRetrainingRun',
    method: 'POST',
    path: '/models/{name}/retraining-runs',
    function: 'pipeline',
    summary: 'Start a retraining run now (reason manual); 202 with the run, or the suppression',
  },
  {
    id: 'ListRetrainingRuns',
    method: 'GET',
    path: '/models/{name}/retraining-runs',
    function: 'pipeline',
    summary: "A model's retraining runs, newest first",
  },
  {
    id: 'GetRetrainingRun',
    method: 'GET',
    path: '/models/{name}/retraining-runs/{runId}',
    function: 'pipeline',
    summary: 'A retraining run: phase, outcome and reason, metrics, registered version',
  },
] as const satisfies readonly RouteDeclaration[];

export type RouteId = (typeof ROUTES)[number]['id'];
