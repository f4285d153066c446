/**
 * MLflow 3's logged models (`LoggedModel` in service.proto): the entity `mlflow.<flavor>.log_model`
 * creates in an experiment, uploads the model's files to (its `artifact_uri`), finalizes, and
 * registers from. Requests and replies in MLflow's JSON mapping; statuses as MLflow names them.
 * @see https://mlflow.org/docs/latest/rest-api.html
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';
import { EntityKey, ExperimentId, LoggedModelId, ParamValue, RunId, TagValue } from './tracking';
import { MetricResponse } from './tracking-responses';

export { LoggedModelId };
export const LoggedModelStatus = lazySchema(() =>
  z.enum([
    'LOGGED_MODEL_STATUS_UNSPECIFIED',
    'LOGGED_MODEL_PENDING',
    'LOGGED_MODEL_READY',
    'LOGGED_MODEL_UPLOAD_FAILED',
  ]),
);
export type LoggedModelStatus = z.infer<typeof LoggedModelStatus>;

/** MLflow's client sends at most 100 params or tags per request (it batches the rest). */
const MAX_ENTRIES = 100;
const Tag = lazySchema(() => z.object({ key: EntityKey, value: TagValue.default('') }));
const Param = lazySchema(() => z.object({ key: EntityKey, value: ParamValue.default('') }));

export const CreateLoggedModelRequest = lazySchema(() =>
  z.object({
    experiment_id: ExperimentId,
    name: z.string().min(1).max(500).optional(),
    model_type: z.string().max(500).optional(),
    source_run_id: RunId.optional(),
    params: z.array(Param).max(MAX_ENTRIES).optional(),
    tags: z.array(Tag).max(MAX_ENTRIES).optional(),
  }),
);
export const LoggedModelPath = lazySchema(() => z.object({ model_id: LoggedModelId }));
/** MLflow's client repeats the id in a JSON body; the path's id is the one used. */
export const DeleteLoggedModelRequest = lazySchema(() => z.object({ model_id: LoggedModelId.optional() }));
export const LoggedModelTagPath = lazySchema(() => z.object({ model_id: LoggedModelId, tag_key: EntityKey }));
export const FinalizeLoggedModelRequest = lazySchema(() =>
  z.object({
    model_id: LoggedModelId.optional(),
    status: z.enum(['LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED']),
  }),
);
export const SetLoggedModelTagsRequest = lazySchema(() =>
  z.object({
    model_id: LoggedModelId.optional(),
    tags: z.array(Tag).max(MAX_ENTRIES),
  }),
);
export const LogLoggedModelParamsRequest = lazySchema(() =>
  z.object({
    model_id: LoggedModelId.optional(),
    params: z.array(Param).max(MAX_ENTRIES),
  }),
);
/** MLflow's default page of a logged-model search, and the largest the platform serves. */
export const LOGGED_MODEL_SEARCH_LIMITS = { default: 50, max: 1000 } as const;
/** A dataset a logged-model search reads metrics of: its name, and its digest when given. */
const DatasetRef = {
  dataset_name: lazySchema(() => z.string().max(500).optional()),
  dataset_digest: lazySchema(() => z.string().max(36).optional()),
};
export const SearchLoggedModelsRequest = lazySchema(() =>
  z.object({
    experiment_ids: z.array(ExperimentId).min(1).max(100),
    filter: z.string().max(4096).optional(),
    /** Only metrics measured on one of these datasets count, in the filter and for a model to match. */
    datasets: z.array(z.object(DatasetRef)).max(100).optional(),
    max_results: z.coerce.number().int().min(1).max(LOGGED_MODEL_SEARCH_LIMITS.max).optional(),
    /** An attribute (`creation_timestamp`), or `metrics.<name>`, optionally of one dataset. */
    order_by: z
      .array(
        z.object({
          field_name: z.string().min(1).max(256),
          ascending: z.boolean().default(true),
          ...DatasetRef,
        }),
      )
      .max(10)
      .optional(),
    page_token: z.string().max(2048).optional(),
  }),
);
export const LogOutputsRequest = lazySchema(() =>
  z.object({
    run_id: RunId,
    models: z.array(z.object({ model_id: LoggedModelId, step: z.coerce.number().int().optional() })).max(100),
  }),
);
/** MLflow 2.x records each logged model's MLmodel on its run (`mlflow.log-model.history`). */
export const LogModelRequest = lazySchema(() =>
  z.object({
    run_id: RunId.optional(),
    run_uuid: RunId.optional(),
    model_json: z.string().min(2).max(1_000_000),
  }),
);
export const LoggedModelArtifactsQuery = lazySchema(() =>
  z.object({
    artifact_directory_path: z.string().max(1024).optional(),
    page_token: z.string().max(2048).optional(),
  }),
);

const KeyValue = lazySchema(() => z.object({ key: z.string(), value: z.string() }));
export const LoggedModelResponse = lazySchema(() =>
  z.object({
    info: z.object({
      model_id: z.string(),
      experiment_id: z.string(),
      name: z.string(),
      creation_timestamp_ms: z.number().int(),
      last_updated_timestamp_ms: z.number().int(),
      artifact_uri: z.string(),
      status: LoggedModelStatus,
      model_type: z.string().optional(),
      source_run_id: z.string().optional(),
      status_message: z.string().optional(),
      tags: z.array(KeyValue),
    }),
    data: z.object({ params: z.array(KeyValue), metrics: z.array(MetricResponse) }),
  }),
);
export type MlflowLoggedModel = z.infer<typeof LoggedModelResponse>;
export const LoggedModelReply = lazySchema(() => z.object({ model: LoggedModelResponse }));
export const SearchLoggedModelsReply = lazySchema(() =>
  z.object({
    models: z.array(LoggedModelResponse),
    next_page_token: z.string().optional(),
  }),
);
