/**
 * MLflow's tracking REST API 2.0 under `/api/2.0/mlflow/`, one route per endpoint of
 * `MlflowService` (service.proto) that the platform serves, so the MLflow client talks to the
 * platform unchanged. These routes answer errors in MLflow's shape (`errorFormat: 'mlflow'`).
 * @see ./routes.ts for what each field means
 * @see https://mlflow.org/docs/latest/rest-api.html
 */
import type * as z from 'zod';
import { lazySchema } from './lazy-schema';
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
  AbortMultipartUploadRequest,
  ArtifactPathParams,
  CompleteMultipartUploadRequest,
  CreateMultipartUploadRequest,
  MLFLOW_ARTIFACTS_API_PREFIX,
  ProxyListQuery,
} from './tracking-artifacts';
import {
  CreateLoggedModelRequest,
  DeleteLoggedModelRequest,
  FinalizeLoggedModelRequest,
  LoggedModelArtifactsQuery,
  LoggedModelPath,
  LoggedModelTagPath,
  LogLoggedModelParamsRequest,
  LogModelRequest,
  LogOutputsRequest,
  SearchLoggedModelsRequest,
  SetLoggedModelTagsRequest,
} from './tracking-logged-models';
import {
  CreateModelVersionRequest,
  CreateRegisteredModelRequest,
  GetLatestVersionsRequest,
  ModelVersionQuery,
  ModelVersionTagRequest,
  RegisteredModelAliasRequest,
  RegisteredModelQuery,
  RegisteredModelTagRequest,
  RenameRegisteredModelRequest,
  SearchModelVersionsRequest,
  SearchRegisteredModelsRequest,
  SetModelVersionTagRequest,
  SetRegisteredModelAliasRequest,
  SetRegisteredModelTagRequest,
  TransitionModelVersionStageRequest,
  UpdateModelVersionRequest,
  UpdateRegisteredModelRequest,
} from './tracking-registry';

/** The prefix of MLflow's REST API 2.0 on the platform's API. */
export const MLFLOW_API_PREFIX = '/api/2.0/mlflow';

const post = <const Id extends string, const Path extends string, B extends z.ZodType>(
  id: Id,
  path: Path,
  summary: string,
  body: B,
) => mlflowRoute(id, 'POST', path, summary, { body });

const get = <const Id extends string, const Path extends string, Q extends z.ZodType>(
  id: Id,
  path: Path,
  summary: string,
  query: Q,
) => mlflowRoute(id, 'GET', path, summary, { query });

const patch = <const Id extends string, const Path extends string, B extends z.ZodType>(
  id: Id,
  path: Path,
  summary: string,
  body: B,
) => mlflowRoute(id, 'PATCH', path, summary, { body });

/** A DELETE: MLflow's client sends the fields in a JSON body; a query string is accepted too. */
const del = <const Id extends string, const Path extends string, B extends z.ZodObject>(
  id: Id,
  path: Path,
  summary: string,
  body: B,
) =>
  // Built on first use, as the contracts' own schemas (lazy-schema.ts).
  mlflowRoute(id, 'DELETE', path, summary, {
    body: lazySchema(() => body.optional()),
    query: lazySchema(() => body.partial()),
  });

function mlflowRoute<
  const Id extends string,
  const M extends HttpMethod,
  const Path extends string,
  const S extends { body?: z.ZodType | false; query?: z.ZodType; params?: z.ZodObject },
>(id: Id, method: M, path: Path, summary: string, schemas: S) {
  return {
    id,
    method,
    path: `${MLFLOW_API_PREFIX}${path}` as `${typeof MLFLOW_API_PREFIX}${Path}`,
    function: 'tracking' as const,
    summary,
    errorFormat: 'mlflow' as const,
    ...schemas,
    response: { status: 200 },
  };
}

/** A route of MLflow's artifact proxy, `/api/2.0/mlflow-artifacts/...`. */
function artifactRoute<
  const Id extends string,
  const M extends HttpMethod,
  const Path extends string,
  const S extends { body?: z.ZodType | false; query?: z.ZodType; params?: z.ZodObject },
  const R extends { status: number; contentType?: string },
>(id: Id, method: M, path: Path, summary: string, schemas: S, response: R) {
  return {
    id,
    method,
    path: `${MLFLOW_ARTIFACTS_API_PREFIX}${path}` as `${typeof MLFLOW_ARTIFACTS_API_PREFIX}${Path}`,
    function: 'tracking' as const,
    summary,
    errorFormat: 'mlflow' as const,
    ...schemas,
    response,
  };
}

export const TRACKING_ROUTES = [
  post(
    'MlflowCreateExperiment',
    '/experiments/create',
    'MLflow: create an experiment',
    CreateExperimentRequest,
  ),
  get('MlflowGetExperiment', '/experiments/get', 'MLflow: get an experiment', ExperimentIdQuery),
  get(
    'MlflowGetExperimentByName',
    '/experiments/get-by-name',
    'MLflow: get an experiment by name',
    ExperimentByNameQuery,
  ),
  post(
    'MlflowSearchExperiments',
    '/experiments/search',
    'MLflow: search experiments (filter, order_by, page_token)',
    SearchExperimentsRequest,
  ),
  get(
    'MlflowSearchExperimentsGet',
    '/experiments/search',
    'MLflow: search experiments with query parameters',
    SearchExperimentsRequest,
  ),
  post(
    'MlflowUpdateExperiment',
    '/experiments/update',
    'MLflow: rename an experiment',
    UpdateExperimentRequest,
  ),
  post(
    'MlflowDeleteExperiment',
    '/experiments/delete',
    'MLflow: mark an experiment and its runs deleted',
    ExperimentIdRequest,
  ),
  post(
    'MlflowRestoreExperiment',
    '/experiments/restore',
    'MLflow: restore a deleted experiment and its runs',
    ExperimentIdRequest,
  ),
  post(
    'MlflowSetExperimentTag',
    '/experiments/set-experiment-tag',
    'MLflow: set a tag on an experiment',
    SetExperimentTagRequest,
  ),
  post(
    'MlflowDeleteExperimentTag',
    '/experiments/delete-experiment-tag',
    'MLflow: delete a tag of an experiment',
    DeleteExperimentTagRequest,
  ),
  post('MlflowCreateRun', '/runs/create', 'MLflow: create a run', CreateRunRequest),
  get('MlflowGetRun', '/runs/get', 'MLflow: get a run with its latest metrics', RunRefQuery),
  post('MlflowUpdateRun', '/runs/update', 'MLflow: update a run (status, end time, name)', UpdateRunRequest),
  post('MlflowDeleteRun', '/runs/delete', 'MLflow: mark a run deleted', RunRefRequest),
  post('MlflowRestoreRun', '/runs/restore', 'MLflow: restore a deleted run', RunRefRequest),
  post(
    'MlflowSearchRuns',
    '/runs/search',
    "MLflow: search runs with MLflow's filter grammar, order_by and page_token",
    SearchRunsRequest,
  ),
  post(
    'MlflowLogParam',
    '/runs/log-parameter',
    'MLflow: log a param (immutable once logged)',
    LogParamRequest,
  ),
  post('MlflowLogMetric', '/runs/log-metric', 'MLflow: log a metric point', LogMetricRequest),
  post(
    'MlflowLogBatch',
    '/runs/log-batch',
    'MLflow: log metrics, params and tags (at most 1000 metrics, 100 params, 100 tags, 1000 in all)',
    LogBatchRequest,
  ),
  post('MlflowSetTag', '/runs/set-tag', 'MLflow: set a tag on a run', SetTagRequest),
  post('MlflowDeleteTag', '/runs/delete-tag', 'MLflow: delete a tag of a run', DeleteTagRequest),
  get(
    'MlflowGetMetricHistory',
    '/metrics/get-history',
    "MLflow: every logged point of a run's metric",
    MetricHistoryQuery,
  ),
  get(
    'MlflowListArtifacts',
    '/artifacts/list',
    "MLflow: list a run's artifacts under a path",
    ListArtifactsQuery,
  ),
  post(
    'MlflowCreatePresignedUploadUrl',
    '/artifacts/presigned-upload-url',
    "MLflow: a presigned PUT URL for a run's artifact in the platform bucket",
    PresignedUrlRequest,
  ),
  post(
    'MlflowCreatePresignedDownloadUrl',
    '/artifacts/presigned-download-url',
    "MLflow: a presigned GET URL for a run's artifact in the platform bucket",
    PresignedUrlRequest,
  ),
  post(
    'MlflowCreateRegisteredModel',
    '/registered-models/create',
    "MLflow: create a registered model (a model of the platform's registry)",
    CreateRegisteredModelRequest,
  ),
  get(
    'MlflowGetRegisteredModel',
    '/registered-models/get',
    'MLflow: get a registered model with its aliases',
    RegisteredModelQuery,
  ),
  post(
    'MlflowCreateModelVersion',
    '/model-versions/create',
    "MLflow: register a version from a run's artifact or an s3:// source (hash-checked, audited)",
    CreateModelVersionRequest,
  ),
  get('MlflowGetModelVersion', '/model-versions/get', 'MLflow: get a model version', ModelVersionQuery),
  get(
    'MlflowGetModelVersionDownloadUri',
    '/model-versions/get-download-uri',
    "MLflow: where a version's artifact is stored",
    ModelVersionQuery,
  ),
  post(
    'MlflowTransitionModelVersionStage',
    '/model-versions/transition-stage',
    "MLflow: move a version to a stage through the registry's governance checks",
    TransitionModelVersionStageRequest,
  ),
  get(
    'MlflowSearchRegisteredModels',
    '/registered-models/search',
    'MLflow: search registered models (name and tags filter, order_by, page_token)',
    SearchRegisteredModelsRequest,
  ),
  patch(
    'MlflowUpdateRegisteredModel',
    '/registered-models/update',
    "MLflow: set a registered model's description",
    UpdateRegisteredModelRequest,
  ),
  post(
    'MlflowRenameRegisteredModel',
    '/registered-models/rename',
    'MLflow: rename a registered model that has never held a version (a model with versions keeps its name)',
    RenameRegisteredModelRequest,
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
  ),
  get(
    'MlflowGetLatestVersionsGet',
    '/registered-models/get-latest-versions',
    'MLflow: the latest version in each stage, with query parameters',
    GetLatestVersionsRequest,
  ),
  get(
    'MlflowSearchModelVersions',
    '/model-versions/search',
    'MLflow: search model versions (name, version_number, run_id, source_path, tags; order_by, page_token)',
    SearchModelVersionsRequest,
  ),
  patch(
    'MlflowUpdateModelVersion',
    '/model-versions/update',
    "MLflow: set a model version's description",
    UpdateModelVersionRequest,
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
  ),
  mlflowRoute(
    'MlflowDeleteRegisteredModelAlias',
    'DELETE',
    '/registered-models/alias',
    'MLflow: delete an alias',
    // MLflow's client sends the alias in a JSON body; a query string is accepted too.
    {
      body: lazySchema(() => RegisteredModelAliasRequest.optional()),
      query: lazySchema(() => RegisteredModelAliasRequest.partial()),
    },
  ),
  get(
    'MlflowGetModelVersionByAlias',
    '/registered-models/alias',
    'MLflow: the version an alias points at',
    RegisteredModelAliasRequest,
  ),
  post(
    'MlflowCreateLoggedModel',
    '/logged-models',
    'MLflow 3: create a logged model (PENDING) in an experiment, with its artifact location',
    CreateLoggedModelRequest,
  ),
  mlflowRoute('MlflowGetLoggedModel', 'GET', '/logged-models/{model_id}', 'MLflow 3: get a logged model', {
    params: LoggedModelPath,
  }),
  mlflowRoute(
    'MlflowFinalizeLoggedModel',
    'PATCH',
    '/logged-models/{model_id}',
    'MLflow 3: finalize a logged model once its files are uploaded (READY or UPLOAD_FAILED)',
    { params: LoggedModelPath, body: FinalizeLoggedModelRequest },
  ),
  mlflowRoute(
    'MlflowDeleteLoggedModel',
    'DELETE',
    '/logged-models/{model_id}',
    'MLflow 3: delete a logged model (it then answers 404 and leaves searches; its files stay)',
    { params: LoggedModelPath, body: lazySchema(() => DeleteLoggedModelRequest.optional()) },
  ),
  post(
    'MlflowSearchLoggedModels',
    '/logged-models/search',
    'MLflow 3: search logged models of experiments (attributes, params, tags; order_by, page_token)',
    SearchLoggedModelsRequest,
  ),
  mlflowRoute(
    'MlflowSetLoggedModelTags',
    'PATCH',
    '/logged-models/{model_id}/tags',
    'MLflow 3: set tags on a logged model',
    { params: LoggedModelPath, body: SetLoggedModelTagsRequest },
  ),
  mlflowRoute(
    'MlflowDeleteLoggedModelTag',
    'DELETE',
    '/logged-models/{model_id}/tags/{tag_key}',
    'MLflow 3: delete a tag of a logged model',
    { params: LoggedModelTagPath },
  ),
  mlflowRoute(
    'MlflowLogLoggedModelParams',
    'POST',
    '/logged-models/{model_id}/params',
    'MLflow 3: log params of a logged model (immutable once logged)',
    { params: LoggedModelPath, body: LogLoggedModelParamsRequest },
  ),
  mlflowRoute(
    'MlflowListLoggedModelArtifacts',
    'GET',
    '/logged-models/{model_id}/artifacts/directories',
    "MLflow 3: list a logged model's files under a directory",
    { params: LoggedModelPath, query: LoggedModelArtifactsQuery },
  ),
  post(
    'MlflowLogOutputs',
    '/runs/outputs',
    'MLflow 3: link logged models to the run that produced them (GetRun shows them in outputs)',
    LogOutputsRequest,
  ),
  post(
    'MlflowLogModel',
    '/runs/log-model',
    "MLflow 2: record a logged model's MLmodel on its run (tag mlflow.log-model.history)",
    LogModelRequest,
  ),
  artifactRoute(
    'MlflowArtifactsDownload',
    'GET',
    '/artifacts/{artifact_path+}',
    'MLflow artifact proxy: download a file (up to 4 MB inline; a larger one answers 307 to a presigned S3 URL)',
    { params: ArtifactPathParams },
    { status: 200, contentType: 'application/octet-stream' },
  ),
  artifactRoute(
    'MlflowArtifactsUpload',
    'PUT',
    '/artifacts/{artifact_path+}',
    'MLflow artifact proxy: upload a file (the body; about 4 MB at most through Lambda, else multipart)',
    { params: ArtifactPathParams, body: false },
    { status: 200 },
  ),
  artifactRoute(
    'MlflowArtifactsDelete',
    'DELETE',
    '/artifacts/{artifact_path+}',
    'MLflow artifact proxy: delete a file, or everything under a directory (nothing there is fine)',
    { params: ArtifactPathParams },
    { status: 200 },
  ),
  artifactRoute(
    'MlflowArtifactsList',
    'GET',
    '/artifacts',
    'MLflow artifact proxy: the files and directories right under path',
    { query: ProxyListQuery },
    { status: 200 },
  ),
  artifactRoute(
    'MlflowArtifactsCreateMultipart',
    'POST',
    '/mpu/create/{artifact_path+}',
    'MLflow artifact proxy: start a multipart upload; one presigned S3 URL per part',
    { params: ArtifactPathParams, body: CreateMultipartUploadRequest },
    { status: 200 },
  ),
  artifactRoute(
    'MlflowArtifactsCompleteMultipart',
    'POST',
    '/mpu/complete/{artifact_path+}',
    'MLflow artifact proxy: complete a multipart upload from its parts and ETags',
    { params: ArtifactPathParams, body: CompleteMultipartUploadRequest },
    { status: 200 },
  ),
  artifactRoute(
    'MlflowArtifactsAbortMultipart',
    'POST',
    '/mpu/abort/{artifact_path+}',
    'MLflow artifact proxy: abort a multipart upload',
    { params: ArtifactPathParams, body: AbortMultipartUploadRequest },
    { status: 200 },
  ),
] as const satisfies readonly RouteDeclaration[];
