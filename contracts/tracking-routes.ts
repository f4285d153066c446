/**
 * MLflow's tracking REST API 2.0 under `/api/2.0/mlflow/`, one route per endpoint of
 * `MlflowService` (service.proto) that the platform serves, so the MLflow client talks to the
 * platform unchanged. These routes answer errors in MLflow's shape (`errorFormat: 'mlflow'`).
 * @see ./routes.ts for what each field means
 * @see https://mlflow.org/docs/latest/rest-api.html
 */
import type * as z from 'zod';
import type { HttpMethod, RouteDeclaration } from './routes';
import {
  CreateExperimentRequest,
  CreateRunRequest,
  DeleteExperimentTagRequest,
  DeleteTagRequest,
  ExperimentByNameQuery,
  ExperimentIdQuery,
  ExperimentIdRequest,
  ListArtifactsQuery,
  LogBatchRequest,
  LogMetricRequest,
  LogParamRequest,
  MetricHistoryQuery,
  PresignedUrlRequest,
  RunRefQuery,
  RunRefRequest,
  SearchExperimentsRequest,
  SearchRunsRequest,
  SetExperimentTagRequest,
  SetTagRequest,
  UpdateExperimentRequest,
  UpdateRunRequest,
} from './tracking';
import {
  CreateModelVersionRequest,
  CreateRegisteredModelRequest,
  DownloadUriReply,
  GetLatestVersionsRequest,
  ModelVersionQuery,
  ModelVersionReply,
  ModelVersionsReply,
  ModelVersionTagRequest,
  RegisteredModelAliasRequest,
  RegisteredModelQuery,
  RegisteredModelReply,
  RegisteredModelTagRequest,
  SearchModelVersionsReply,
  SearchModelVersionsRequest,
  SearchRegisteredModelsReply,
  SearchRegisteredModelsRequest,
  SetModelVersionTagRequest,
  SetRegisteredModelAliasRequest,
  SetRegisteredModelTagRequest,
  TransitionModelVersionStageRequest,
  UpdateModelVersionRequest,
  UpdateRegisteredModelRequest,
} from './tracking-registry';
import {
  CreateExperimentResponse,
  EmptyResponse,
  GetExperimentResponse,
  GetRunResponse,
  ListArtifactsResponse,
  MetricHistoryResponse,
  PresignedUrlResponse,
  SearchExperimentsResponse,
  SearchRunsResponse,
  UpdateRunResponse,
} from './tracking-responses';

/** The prefix of MLflow's REST API 2.0 on the platform's API. */
export const MLFLOW_API_PREFIX = '/api/2.0/mlflow';

const post = <const Id extends string, const Path extends string, B extends z.ZodType, R extends z.ZodType>(
  id: Id,
  path: Path,
  summary: string,
  body: B,
  schema: R,
) => mlflowRoute(id, 'POST', path, summary, { body }, schema);

const get = <const Id extends string, const Path extends string, Q extends z.ZodType, R extends z.ZodType>(
  id: Id,
  path: Path,
  summary: string,
  query: Q,
  schema: R,
) => mlflowRoute(id, 'GET', path, summary, { query }, schema);

const patch = <const Id extends string, const Path extends string, B extends z.ZodType, R extends z.ZodType>(
  id: Id,
  path: Path,
  summary: string,
  body: B,
  schema: R,
) => mlflowRoute(id, 'PATCH', path, summary, { body }, schema);

/** A DELETE: MLflow's client sends the fields in a JSON body; a query string is accepted too. */
const del = <const Id extends string, const Path extends string, B extends z.ZodObject>(
  id: Id,
  path: Path,
  summary: string,
  body: B,
) =>
  mlflowRoute(id, 'DELETE', path, summary, { body: body.optional(), query: body.partial() }, EmptyResponse);

function mlflowRoute<
  const Id extends string,
  const M extends HttpMethod,
  const Path extends string,
  const S extends { body?: z.ZodType; query?: z.ZodType },
  R extends z.ZodType,
>(id: Id, method: M, path: Path, summary: string, schemas: S, schema: R) {
  return {
    id,
    method,
    path: `${MLFLOW_API_PREFIX}${path}` as `${typeof MLFLOW_API_PREFIX}${Path}`,
    function: 'tracking' as const,
    summary,
    errorFormat: 'mlflow' as const,
    ...schemas,
    response: { status: 200, schema },
  };
}

export const TRACKING_ROUTES = [
  post(
    'MlflowCreateExperiment',
    '/experiments/create',
    'MLflow: create an experiment',
    CreateExperimentRequest,
    CreateExperimentResponse,
  ),
  get(
    'MlflowGetExperiment',
    '/experiments/get',
    'MLflow: get an experiment',
    ExperimentIdQuery,
    GetExperimentResponse,
  ),
  get(
    'MlflowGetExperimentByName',
    '/experiments/get-by-name',
    'MLflow: get an experiment by name',
    ExperimentByNameQuery,
    GetExperimentResponse,
  ),
  post(
    'MlflowSearchExperiments',
    '/experiments/search',
    'MLflow: search experiments (filter, order_by, page_token)',
    SearchExperimentsRequest,
    SearchExperimentsResponse,
  ),
  get(
    'MlflowSearchExperimentsGet',
    '/experiments/search',
    'MLflow: search experiments with query parameters',
    SearchExperimentsRequest,
    SearchExperimentsResponse,
  ),
  post(
    'MlflowUpdateExperiment',
    '/experiments/update',
    'MLflow: rename an experiment',
    UpdateExperimentRequest,
    EmptyResponse,
  ),
  post(
    'MlflowDeleteExperiment',
    '/experiments/delete',
    'MLflow: mark an experiment and its runs deleted',
    ExperimentIdRequest,
    EmptyResponse,
  ),
  post(
    'MlflowRestoreExperiment',
    '/experiments/restore',
    'MLflow: restore a deleted experiment and its runs',
    ExperimentIdRequest,
    EmptyResponse,
  ),
  post(
    'MlflowSetExperimentTag',
    '/experiments/set-experiment-tag',
    'MLflow: set a tag on an experiment',
    SetExperimentTagRequest,
    EmptyResponse,
  ),
  post(
    'MlflowDeleteExperimentTag',
    '/experiments/delete-experiment-tag',
    'MLflow: delete a tag of an experiment',
    DeleteExperimentTagRequest,
    EmptyResponse,
  ),
  post('MlflowCreateRun', '/runs/create', 'MLflow: create a run', CreateRunRequest, GetRunResponse),
  get('MlflowGetRun', '/runs/get', 'MLflow: get a run with its latest metrics', RunRefQuery, GetRunResponse),
  post(
    'MlflowUpdateRun',
    '/runs/update',
    'MLflow: update a run (status, end time, name)',
    UpdateRunRequest,
    UpdateRunResponse,
  ),
  post('MlflowDeleteRun', '/runs/delete', 'MLflow: mark a run deleted', RunRefRequest, EmptyResponse),
  post('MlflowRestoreRun', '/runs/restore', 'MLflow: restore a deleted run', RunRefRequest, EmptyResponse),
  post(
    'MlflowSearchRuns',
    '/runs/search',
    "MLflow: search runs with MLflow's filter grammar, order_by and page_token",
    SearchRunsRequest,
    SearchRunsResponse,
  ),
  post(
    'MlflowLogParam',
    '/runs/log-parameter',
    'MLflow: log a param (immutable once logged)',
    LogParamRequest,
    EmptyResponse,
  ),
  post('MlflowLogMetric', '/runs/log-metric', 'MLflow: log a metric point', LogMetricRequest, EmptyResponse),
  post(
    'MlflowLogBatch',
    '/runs/log-batch',
    'MLflow: log metrics, params and tags (at most 1000 metrics, 100 params, 100 tags, 1000 in all)',
    LogBatchRequest,
    EmptyResponse,
  ),
  post('MlflowSetTag', '/runs/set-tag', 'MLflow: set a tag on a run', SetTagRequest, EmptyResponse),
  post(
    'MlflowDeleteTag',
    '/runs/delete-tag',
    'MLflow: delete a tag of a run',
    DeleteTagRequest,
    EmptyResponse,
  ),
  get(
    'MlflowGetMetricHistory',
    '/metrics/get-history',
    "MLflow: every logged point of a run's metric",
    MetricHistoryQuery,
    MetricHistoryResponse,
  ),
  get(
    'MlflowListArtifacts',
    '/artifacts/list',
    "MLflow: list a run's artifacts under a path",
    ListArtifactsQuery,
    ListArtifactsResponse,
  ),
  post(
    'MlflowCreatePresignedUploadUrl',
    '/artifacts/presigned-upload-url',
    "MLflow: a presigned PUT URL for a run's artifact in the platform bucket",
    PresignedUrlRequest,
    PresignedUrlResponse,
  ),
  post(
    'MlflowCreatePresignedDownloadUrl',
    '/artifacts/presigned-download-url',
    "MLflow: a presigned GET URL for a run's artifact in the platform bucket",
    PresignedUrlRequest,
    PresignedUrlResponse,
  ),
  post(
    'MlflowCreateRegisteredModel',
    '/registered-models/create',
    "MLflow: create a registered model (a model of the platform's registry)",
    CreateRegisteredModelRequest,
    RegisteredModelReply,
  ),
  get(
    'MlflowGetRegisteredModel',
    '/registered-models/get',
    'MLflow: get a registered model with its aliases',
    RegisteredModelQuery,
    RegisteredModelReply,
  ),
  post(
    'MlflowCreateModelVersion',
    '/model-versions/create',
    "MLflow: register a version from a run's artifact or an s3:// source (hash-checked, audited)",
    CreateModelVersionRequest,
    ModelVersionReply,
  ),
  get(
    'MlflowGetModelVersion',
    '/model-versions/get',
    'MLflow: get a model version',
    ModelVersionQuery,
    ModelVersionReply,
  ),
  get(
    'MlflowGetModelVersionDownloadUri',
    '/model-versions/get-download-uri',
    "MLflow: where a version's artifact is stored",
    ModelVersionQuery,
    DownloadUriReply,
  ),
  post(
    'MlflowTransitionModelVersionStage',
    '/model-versions/transition-stage',
    "MLflow: move a version to a stage through the registry's governance checks",
    TransitionModelVersionStageRequest,
    ModelVersionReply,
  ),
  get(
    'MlflowSearchRegisteredModels',
    '/registered-models/search',
    'MLflow: search registered models (name and tags filter, order_by, page_token)',
    SearchRegisteredModelsRequest,
    SearchRegisteredModelsReply,
  ),
  patch(
    'MlflowUpdateRegisteredModel',
    '/registered-models/update',
    "MLflow: set a registered model's description",
    UpdateRegisteredModelRequest,
    RegisteredModelReply,
  ),
  del(
    'MlflowDeleteRegisteredModel',
    '/registered-models/delete',
    'MLflow: delete a registered model with its versions (refused while a version is in Production)',
    RegisteredModelQuery,
  ),
  post(
    'MlflowSetRegisteredModelTag',
    '/registered-models/set-tag',
    'MLflow: set a tag on a registered model',
    SetRegisteredModelTagRequest,
    EmptyResponse,
  ),
  del(
    'MlflowDeleteRegisteredModelTag',
    '/registered-models/delete-tag',
    'MLflow: delete a tag of a registered model',
    RegisteredModelTagRequest,
  ),
  post(
    'MlflowGetLatestVersions',
    '/registered-models/get-latest-versions',
    'MLflow: the latest version in each stage asked for (all stages by default)',
    GetLatestVersionsRequest,
    ModelVersionsReply,
  ),
  get(
    'MlflowGetLatestVersionsGet',
    '/registered-models/get-latest-versions',
    'MLflow: the latest version in each stage, with query parameters',
    GetLatestVersionsRequest,
    ModelVersionsReply,
  ),
  get(
    'MlflowSearchModelVersions',
    '/model-versions/search',
    'MLflow: search model versions (name, version_number, run_id, source_path, tags; order_by, page_token)',
    SearchModelVersionsRequest,
    SearchModelVersionsReply,
  ),
  patch(
    'MlflowUpdateModelVersion',
    '/model-versions/update',
    "MLflow: set a model version's description",
    UpdateModelVersionRequest,
    ModelVersionReply,
  ),
  del(
    'MlflowDeleteModelVersion',
    '/model-versions/delete',
    'MLflow: delete a version in no stage and without an alias',
    ModelVersionQuery,
  ),
  post(
    'MlflowSetModelVersionTag',
    '/model-versions/set-tag',
    'MLflow: set a tag on a model version',
    SetModelVersionTagRequest,
    EmptyResponse,
  ),
  del(
    'MlflowDeleteModelVersionTag',
    '/model-versions/delete-tag',
    'MLflow: delete a tag of a model version',
    ModelVersionTagRequest,
  ),
  post(
    'MlflowSetRegisteredModelAlias',
    '/registered-models/alias',
    'MLflow: point an alias at a version',
    SetRegisteredModelAliasRequest,
    EmptyResponse,
  ),
  mlflowRoute(
    'MlflowDeleteRegisteredModelAlias',
    'DELETE',
    '/registered-models/alias',
    'MLflow: delete an alias',
    // MLflow's client sends the alias in a JSON body; a query string is accepted too.
    { body: RegisteredModelAliasRequest.optional(), query: RegisteredModelAliasRequest.partial() },
    EmptyResponse,
  ),
  get(
    'MlflowGetModelVersionByAlias',
    '/registered-models/alias',
    'MLflow: the version an alias points at',
    RegisteredModelAliasRequest,
    ModelVersionReply,
  ),
] as const satisfies readonly RouteDeclaration[];
