/**
 * The tracking routes' replies, in MLflow's REST API shapes (`GetRun.Response`,
 * `SearchRuns.Response`, ...). The tracking domain's records are these types (`z.infer`), so the
 * document and what the handler sends cannot drift.
 * @see https://mlflow.org/docs/latest/rest-api.html
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';
import { LifecycleStage, RunStatus } from './tracking';

const KeyValue = lazySchema(() => z.object({ key: z.string(), value: z.string() }));

/** A double in protobuf's JSON mapping: non-finite values are strings. */
export const WireDouble = lazySchema(() => z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]));

export const ExperimentResponse = lazySchema(() =>
  z.object({
    experiment_id: z.string(),
    name: z.string(),
    artifact_location: z.string(),
    lifecycle_stage: LifecycleStage,
    creation_time: z.number().int(),
    last_update_time: z.number().int(),
    tags: z.array(KeyValue),
  }),
);
export type Experiment = z.infer<typeof ExperimentResponse>;

export const MetricResponse = lazySchema(() =>
  z.object({
    key: z.string(),
    value: WireDouble,
    timestamp: z.number().int(),
    step: z.number().int(),
    /** MLflow 3: set on a logged model's metrics (`LoggedModel.data.metrics`). */
    dataset_name: z.string().optional(),
    dataset_digest: z.string().optional(),
    model_id: z.string().optional(),
    run_id: z.string().optional(),
  }),
);
export type Metric = z.infer<typeof MetricResponse>;

export const RunInfoResponse = lazySchema(() =>
  z.object({
    run_id: z.string(),
    /** The older name of `run_id`, still read by MLflow clients. */
    run_uuid: z.string(),
    run_name: z.string(),
    experiment_id: z.string(),
    user_id: z.string(),
    status: RunStatus,
    start_time: z.number().int(),
    end_time: z.number().int().optional(),
    artifact_uri: z.string(),
    lifecycle_stage: LifecycleStage,
  }),
);
export type RunInfo = z.infer<typeof RunInfoResponse>;

export const RunResponse = lazySchema(() =>
  z.object({
    info: RunInfoResponse,
    data: z.object({
      metrics: z.array(MetricResponse),
      params: z.array(KeyValue),
      tags: z.array(KeyValue),
    }),
    inputs: z.object({}),
    /** MLflow 3: the logged models the run produced. */
    outputs: z
      .object({ model_outputs: z.array(z.object({ model_id: z.string(), step: z.number().int() })) })
      .optional(),
  }),
);
export type Run = z.infer<typeof RunResponse>;

const empty = lazySchema(() => z.object({}));
export const EmptyResponse = empty;
export const CreateExperimentResponse = lazySchema(() => z.object({ experiment_id: z.string() }));
export const GetExperimentResponse = lazySchema(() => z.object({ experiment: ExperimentResponse }));
export const SearchExperimentsResponse = lazySchema(() =>
  z.object({
    experiments: z.array(ExperimentResponse),
    next_page_token: z.string().optional(),
  }),
);
export const GetRunResponse = lazySchema(() => z.object({ run: RunResponse }));
export const UpdateRunResponse = lazySchema(() => z.object({ run_info: RunInfoResponse }));
export const SearchRunsResponse = lazySchema(() =>
  z.object({
    runs: z.array(RunResponse),
    next_page_token: z.string().optional(),
  }),
);
export const MetricHistoryResponse = lazySchema(() =>
  z.object({
    metrics: z.array(MetricResponse),
    next_page_token: z.string().optional(),
  }),
);
export const FileInfoResponse = lazySchema(() =>
  z.object({
    path: z.string(),
    is_dir: z.boolean(),
    file_size: z.number().int().optional(),
  }),
);
export type FileInfo = z.infer<typeof FileInfoResponse>;
export const ListArtifactsResponse = lazySchema(() =>
  z.object({
    root_uri: z.string(),
    files: z.array(FileInfoResponse),
    next_page_token: z.string().optional(),
  }),
);
export const PresignedUrlResponse = lazySchema(() =>
  z.object({
    presigned_url: z.string(),
    headers: z.record(z.string(), z.string()),
  }),
);
